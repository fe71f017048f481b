import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { financialYearLabel, financialYearOf, type FinancialYear } from '../../domain/funding.ts'
import { toDecimalPounds } from '../../domain/money.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { type AuthorityChoice } from '../../shared/authority-scope.ts'
import { fundingAuthorityOf, inAuthority, loadFundingAuthority } from './authority-context.ts'
import { budgetYearOf, loadBudgetYear } from './budget-context.ts'
import {
  readBudgetForm,
  readFundingSettingsForm,
  type BudgetValues,
  type FundingSettingsValues,
} from './funding.form.ts'
import { fundingNotices, fundingTitles, money } from './funding.presenter.ts'
import { findBudget, listBudgets, loadFundingSettings } from './funding.repository.ts'
import { setBudget, setFundingSettings } from './funding.service.ts'

/*
 * The Virtual School's Pupil Premium Plus budgets (issue 18): the budget for each financial year
 * (allocation per child, devolved each term, held centrally, grant received) and the funding
 * settings (categories, when requests can be decided). Open to the roles allowed
 * `funding.budget`, for the authorities where the person holds one; every view and change is
 * audited.
 */

type Q = { authority?: string; year?: string }
type Body = Record<string, unknown> | undefined

export const budgetsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  const thisYear = () => financialYearOf(londonDate(clock.now()))
  const preHandler = loadFundingAuthority(db, 'funding.budget')

  app.get<{ Querystring: Q }>(
    paths.funding.budgets(),
    { config: { access: { action: 'funding.budget' }, audit: 'funding.budget.view' }, preHandler },
    async (request, reply) => {
      const authority = fundingAuthorityOf(request)
      const [budgets, settings] = await Promise.all([
        listBudgets(db, authority.id),
        loadFundingSettings(db, authority.id),
      ])
      const years = [
        ...new Set([thisYear() + 1, thisYear(), ...budgets.map((b) => b.financialYear)]),
      ]
      years.sort((a, b) => b - a)
      return reply.render('funding/views/budgets.njk', {
        pageTitle: fundingTitles.budgets(authority.name),
        authority,
        overviewHref: inAuthority(paths.funding.overview(), authority),
        settingsHref: inAuthority(paths.funding.settings(), authority),
        settings,
        budgets: years.map((y) => {
          const b = budgets.find((x) => x.financialYear === y)
          return {
            year: financialYearLabel(y),
            href: inAuthority(paths.funding.budget(financialYearLabel(y)), authority),
            allocation: b ? money(b.allocationPerChildPence) : 'Not set',
            devolved: b ? money(b.devolvedPerTermPence) : '–',
            central: b ? money(b.centralPence) : '–',
            grant: b ? money(b.grantReceivedPence) : '–',
          }
        }),
      })
    },
  )

  async function renderBudget(
    reply: FastifyReply,
    authority: AuthorityChoice,
    year: FinancialYear,
    values: BudgetValues,
    errors?: FormErrors,
  ) {
    return reply.code(errors ? 400 : 200).render('funding/views/budget-form.njk', {
      pageTitle: fundingTitles.budget(year, authority.name),
      authority,
      year: financialYearLabel(year),
      backHref: inAuthority(paths.funding.budgets(), authority),
      values,
      errors,
    })
  }

  app.get<{ Params: { year: string }; Querystring: Q }>(
    paths.funding.budget(':year'),
    {
      config: { access: { action: 'funding.budget' }, audit: 'funding.budget.view' },
      preHandler: [preHandler, loadBudgetYear],
    },
    async (request, reply) => {
      const authority = fundingAuthorityOf(request)
      const year = budgetYearOf(request)
      const b = await findBudget(db, authority.id, year)
      return renderBudget(reply, authority, year, {
        allocation: b ? toDecimalPounds(b.allocationPerChildPence) : '',
        devolved: b ? toDecimalPounds(b.devolvedPerTermPence) : '',
        central: b ? toDecimalPounds(b.centralPence) : '',
        grant: b ? toDecimalPounds(b.grantReceivedPence) : '',
      })
    },
  )

  app.post<{ Params: { year: string }; Querystring: Q; Body: Body }>(
    paths.funding.budget(':year'),
    {
      config: { access: { action: 'funding.budget' }, audit: RECORDED_IN_TRANSACTION },
      preHandler: [preHandler, loadBudgetYear],
    },
    async (request, reply) => {
      const authority = fundingAuthorityOf(request)
      const year = budgetYearOf(request)
      const form = readBudgetForm(request.body, year)
      if (!form.ok) return renderBudget(reply, authority, year, form.values, form.errors)
      await setBudget(db, actorFrom(request, clock), authority.id, form.value)
      request.flash('success', fundingNotices.budgetSaved(year))
      return reply.redirect(inAuthority(paths.funding.budgets(), authority), 303)
    },
  )

  async function renderSettings(
    reply: FastifyReply,
    authority: AuthorityChoice,
    values: FundingSettingsValues,
    errors?: FormErrors,
  ) {
    return reply.code(errors ? 400 : 200).render('funding/views/settings.njk', {
      pageTitle: fundingTitles.settings(authority.name),
      authority,
      backHref: inAuthority(paths.funding.budgets(), authority),
      values,
      errors,
    })
  }

  app.get<{ Querystring: Q }>(
    paths.funding.settings(),
    { config: { access: { action: 'funding.budget' }, audit: 'funding.budget.view' }, preHandler },
    async (request, reply) => {
      const authority = fundingAuthorityOf(request)
      const settings = await loadFundingSettings(db, authority.id)
      return renderSettings(reply, authority, {
        categories: settings.categories.join('\n'),
        decideBeforeSubmission: settings.decideBeforeSubmission,
      })
    },
  )

  app.post<{ Querystring: Q; Body: Body }>(
    paths.funding.settings(),
    {
      config: { access: { action: 'funding.budget' }, audit: RECORDED_IN_TRANSACTION },
      preHandler,
    },
    async (request, reply) => {
      const authority = fundingAuthorityOf(request)
      const form = readFundingSettingsForm(request.body)
      if (!form.ok) return renderSettings(reply, authority, form.values, form.errors)
      await setFundingSettings(db, actorFrom(request, clock), authority.id, form.value)
      request.flash('success', fundingNotices.settingsSaved)
      return reply.redirect(inAuthority(paths.funding.budgets(), authority), 303)
    },
  )
}
