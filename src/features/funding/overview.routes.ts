import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import {
  financialYearLabel,
  financialYearOf,
  parseFinancialYear,
  type FinancialYear,
} from '../../domain/funding.ts'
import { sumPence, toDecimalPounds } from '../../domain/money.ts'
import type { Action } from '../../domain/permissions.ts'
import { canAct } from '../../domain/permissions.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { formatDateTime } from '../../views/format.ts'
import { pickAuthority, type AuthorityChoice } from '../../shared/authority-scope.ts'
import { readBudgetForm, type BudgetValues } from './funding.form.ts'
import { money } from './funding.presenter.ts'
import {
  findBudget,
  listBudgets,
  loadFundingSettings,
  requestsAwaitingDecision,
} from './funding.repository.ts'
import { setBudget, setFundingSettings } from './funding.service.ts'
import { awaitingDecisionCount, childrenInCare, schoolFigures } from './overview.query.ts'

/*
 * The Virtual School's Pupil Premium Plus pages (issue 18): the authority's figures for a
 * financial year (grant received against what is committed and paid, per school), the requests
 * awaiting a decision, the budget for each year and the funding settings. Each is open by
 * permission to the roles named in domain/permissions.ts, for the authorities where the person
 * holds one; every view and change is audited.
 */

type Q = { authority?: string; year?: string }
type Body = Record<string, unknown> | undefined

const text = (v: unknown) => (typeof v === 'string' ? v : '')
export const inAuthority = (path: string, authority: AuthorityChoice, extra = '') =>
  `${path}?authority=${encodeURIComponent(authority.id)}${extra}`

/** The authority a page works in, or an answer already sent (404, or a choice of authority). */
export async function authorityFor(
  db: Database,
  request: FastifyRequest<{ Querystring: Q }>,
  reply: FastifyReply,
  action: Action,
): Promise<AuthorityChoice | undefined> {
  const pick = await pickAuthority(db, request.user!, action, request.query.authority)
  if (pick.kind === 'one') return pick.authority
  if (pick.kind === 'not-found') void reply.code(404).render('pages/404.njk')
  else
    void reply.render('funding/views/choose-authority.njk', {
      pageTitle: 'Choose an authority – Pupil Premium Plus',
      authorities: pick.authorities.map((a) => ({
        name: a.name,
        href: `${request.url.split('?')[0]}?authority=${encodeURIComponent(a.id)}`,
      })),
    })
  return undefined
}

export const overviewRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  const thisYear = () => financialYearOf(londonDate(clock.now()))

  app.get<{ Querystring: Q }>(
    paths.funding.overview(),
    { config: { access: { action: 'funding.oversee' }, audit: 'funding.overview' } },
    async (request, reply) => {
      const authority = await authorityFor(db, request, reply, 'funding.oversee')
      if (!authority) return reply
      const year = parseFinancialYear(request.query.year) ?? thisYear()
      const settings = await loadFundingSettings(db, authority.id)
      const [budget, schools, children, waiting, budgets] = await Promise.all([
        findBudget(db, authority.id, year),
        schoolFigures(db, authority.id, year),
        childrenInCare(db, authority.id),
        awaitingDecisionCount(db, authority.id, settings.decideBeforeSubmission),
        listBudgets(db, authority.id),
      ])
      const approved = sumPence(schools.map((s) => s.approvedPence))
      const paid = sumPence(schools.map((s) => s.paidPence))
      const inRuns = sumPence(schools.map((s) => s.inRunsPence))
      const years = [...new Set([thisYear(), year, ...budgets.map((b) => b.financialYear)])].sort(
        (a, b) => b - a,
      )
      const roles = request
        .user!.memberships.filter((m) => m.authorityId === authority.id)
        .map((m) => m.role)
      return reply.render('funding/views/overview.njk', {
        pageTitle: `Pupil Premium Plus ${financialYearLabel(year)} – ${authority.name}`,
        authority,
        year: financialYearLabel(year),
        yearChoices: years.map((y) => ({
          value: financialYearLabel(y),
          text: financialYearLabel(y),
          selected: y === year,
        })),
        action: paths.funding.overview(),
        budget: budget
          ? {
              allocation: money(budget.allocationPerChildPence),
              devolved: money(budget.devolvedPerTermPence),
              central: money(budget.centralPence),
              grant: money(budget.grantReceivedPence),
              uncommitted: money(budget.grantReceivedPence - approved),
              overCommitted: approved > budget.grantReceivedPence,
            }
          : null,
        children,
        approved: money(approved),
        paid: money(paid),
        awaitingPayment: money(approved - inRuns > 0 ? approved - inRuns : 0),
        schools: schools.map((s) => ({
          name: s.schoolName ?? 'No school recorded',
          urn: s.urn ?? '–',
          children: s.children,
          requests: s.requests,
          approved: money(s.approvedPence),
          paid: money(s.paidPence),
          awaiting: money(Math.max(0, s.approvedPence - s.inRunsPence)),
        })),
        waiting,
        links: {
          decisions: canAct(roles, 'funding.decide')
            ? inAuthority(paths.funding.decisions(), authority)
            : null,
          budgets: canAct(roles, 'funding.budget')
            ? inAuthority(paths.funding.budgets(), authority)
            : null,
          runs: canAct(roles, 'funding.pay') ? inAuthority(paths.funding.runs(), authority) : null,
          report: inAuthority(paths.funding.report(), authority),
        },
      })
    },
  )

  app.get<{ Querystring: Q }>(
    paths.funding.decisions(),
    { config: { access: { action: 'funding.decide' }, audit: 'funding.decisions.view' } },
    async (request, reply) => {
      const authority = await authorityFor(db, request, reply, 'funding.decide')
      if (!authority) return reply
      const settings = await loadFundingSettings(db, authority.id)
      const rows = await requestsAwaitingDecision(db, authority.id, settings.decideBeforeSubmission)
      return reply.render('funding/views/decisions.njk', {
        pageTitle: `Funding requests awaiting a decision – ${authority.name}`,
        authority,
        overviewHref: inAuthority(paths.funding.overview(), authority),
        decideBeforeSubmission: settings.decideBeforeSubmission,
        requests: rows.map((r) => ({
          href: paths.funding.request(r.childId, r.id),
          child: `${r.firstName} ${r.lastName}`,
          caseReference: r.caseReference,
          school: r.schoolName ?? '–',
          amount: money(r.amountPence),
          category: r.category,
          purpose: r.purpose,
          requestedAt: formatDateTime(r.requestedAt),
        })),
      })
    },
  )

  app.get<{ Querystring: Q }>(
    paths.funding.budgets(),
    { config: { access: { action: 'funding.budget' }, audit: 'funding.budget.view' } },
    async (request, reply) => {
      const authority = await authorityFor(db, request, reply, 'funding.budget')
      if (!authority) return reply
      const [budgets, settings] = await Promise.all([
        listBudgets(db, authority.id),
        loadFundingSettings(db, authority.id),
      ])
      const years = [
        ...new Set([thisYear() + 1, thisYear(), ...budgets.map((b) => b.financialYear)]),
      ]
      years.sort((a, b) => b - a)
      return reply.render('funding/views/budgets.njk', {
        pageTitle: `Pupil Premium Plus budgets – ${authority.name}`,
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
      pageTitle: `Budget ${financialYearLabel(year)} – ${authority.name}`,
      authority,
      year: financialYearLabel(year),
      backHref: inAuthority(paths.funding.budgets(), authority),
      values,
      errors,
    })
  }

  app.get<{ Params: { year: string }; Querystring: Q }>(
    paths.funding.budget(':year'),
    { config: { access: { action: 'funding.budget' }, audit: 'funding.budget.view' } },
    async (request, reply) => {
      const authority = await authorityFor(db, request, reply, 'funding.budget')
      if (!authority) return reply
      const year = parseFinancialYear(request.params.year)
      if (year === undefined) return reply.code(404).render('pages/404.njk')
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
    { config: { access: { action: 'funding.budget' }, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const authority = await authorityFor(db, request, reply, 'funding.budget')
      if (!authority) return reply
      const year = parseFinancialYear(request.params.year)
      if (year === undefined) return reply.code(404).render('pages/404.njk')
      const form = readBudgetForm(request.body, year)
      if (!form.ok) return renderBudget(reply, authority, year, form.values, form.errors)
      await setBudget(db, actorFrom(request, clock), authority.id, form.value)
      request.flash('success', `Budget for ${financialYearLabel(year)} saved`)
      return reply.redirect(inAuthority(paths.funding.budgets(), authority), 303)
    },
  )

  async function renderSettings(
    reply: FastifyReply,
    authority: AuthorityChoice,
    values: { categories: string; decideBeforeSubmission: boolean },
    errors?: FormErrors,
  ) {
    return reply.code(errors ? 400 : 200).render('funding/views/settings.njk', {
      pageTitle: `Pupil Premium Plus settings – ${authority.name}`,
      authority,
      backHref: inAuthority(paths.funding.budgets(), authority),
      values,
      errors,
    })
  }

  app.get<{ Querystring: Q }>(
    paths.funding.settings(),
    { config: { access: { action: 'funding.budget' }, audit: 'funding.budget.view' } },
    async (request, reply) => {
      const authority = await authorityFor(db, request, reply, 'funding.budget')
      if (!authority) return reply
      const settings = await loadFundingSettings(db, authority.id)
      return renderSettings(reply, authority, {
        categories: settings.categories.join('\n'),
        decideBeforeSubmission: settings.decideBeforeSubmission,
      })
    },
  )

  app.post<{ Querystring: Q; Body: Body }>(
    paths.funding.settings(),
    { config: { access: { action: 'funding.budget' }, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const authority = await authorityFor(db, request, reply, 'funding.budget')
      if (!authority) return reply
      const values = {
        categories: text(request.body?.categories),
        decideBeforeSubmission: text(request.body?.decideBeforeSubmission) === 'yes',
      }
      const categories = [
        ...new Set(
          values.categories
            .split(/\r?\n/)
            .map((c) => c.trim())
            .filter((c) => c !== ''),
        ),
      ]
      const problems = new FormProblems()
      if (categories.length === 0) problems.add('categories', 'Enter at least one category')
      else if (categories.length > 30)
        problems.add('categories', 'Enter no more than 30 categories')
      else if (categories.some((c) => c.length > 100))
        problems.add('categories', 'Each category must be 100 characters or fewer')
      if (problems.any) return renderSettings(reply, authority, values, problems.errors)
      await setFundingSettings(db, actorFrom(request, clock), authority.id, {
        categories,
        decideBeforeSubmission: values.decideBeforeSubmission,
      })
      request.flash('success', 'Pupil Premium Plus settings saved')
      return reply.redirect(inAuthority(paths.funding.budgets(), authority), 303)
    },
  )
}
