import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { financialYearLabel, financialYearOf, parseFinancialYear } from '../../domain/funding.ts'
import { sumPence } from '../../domain/money.ts'
import { canAct } from '../../domain/permissions.ts'
import { paths } from '../../paths.ts'
import { formatDateTime } from '../../views/format.ts'
import { fundingAuthorityOf, inAuthority, loadFundingAuthority } from './authority-context.ts'
import { fundingTitles, money } from './funding.presenter.ts'
import {
  findBudget,
  listBudgets,
  loadFundingSettings,
  requestsAwaitingDecision,
} from './funding.repository.ts'
import { awaitingDecisionCount, childrenInCare, schoolFigures } from './overview.query.ts'

/*
 * The Virtual School's Pupil Premium Plus figures (issue 18): the authority's figures for a
 * financial year (grant received against what is committed and paid, per school) and the
 * requests awaiting a decision. Each is open by permission to the roles named in
 * domain/permissions.ts, for the authorities where the person holds one; every view is audited.
 * The budgets and settings are in budgets.routes.ts.
 */

type Q = { authority?: string; year?: string }

export const overviewRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  const thisYear = () => financialYearOf(londonDate(clock.now()))

  app.get<{ Querystring: Q }>(
    paths.funding.overview(),
    {
      config: { access: { action: 'funding.oversee' }, audit: 'funding.overview' },
      preHandler: loadFundingAuthority(db, 'funding.oversee'),
    },
    async (request, reply) => {
      const authority = fundingAuthorityOf(request)
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
        pageTitle: fundingTitles.overview(year, authority.name),
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
    {
      config: { access: { action: 'funding.decide' }, audit: 'funding.decisions.view' },
      preHandler: loadFundingAuthority(db, 'funding.decide'),
    },
    async (request, reply) => {
      const authority = fundingAuthorityOf(request)
      const settings = await loadFundingSettings(db, authority.id)
      const rows = await requestsAwaitingDecision(db, authority.id, settings.decideBeforeSubmission)
      return reply.render('funding/views/decisions.njk', {
        pageTitle: fundingTitles.decisions(authority.name),
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
}
