import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { financialYearLabel, financialYearOf } from '../../domain/funding.ts'
import { parsePounds } from '../../domain/money.ts'
import { canAct } from '../../domain/permissions.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import { paths } from '../../paths.ts'
import { childPageModel } from '../../shared/child-header.ts'
import { pepTitle } from '../peps/pep.presenter.ts'
import { fundingTitles, money, requestRow } from './funding.presenter.ts'
import {
  childYears,
  findBudget,
  requestsOfChild,
  requestsOfPep,
  targetsOfPep,
} from './funding.repository.ts'
import { fundingPepOf, loadPep } from './request-context.ts'

/*
 * A child's Pupil Premium Plus (issue 18): the Pupil Premium tab (money per financial year and
 * every request) and a PEP's targets with their requests. Each is a child route (the access
 * plugin checks the user may see the child in a role allowed the action; ADR 3/8/10). The
 * request form is in request-form.routes.ts, a request's page and decision in request.routes.ts.
 */

type P = { childId: string }
type PP = P & { pepId: string }

const VIEW = { action: 'funding.view', child: true, reads: 'funding' } as const

export const childFundingRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  const roles = (request: FastifyRequest) => (request.actingRole ? [request.actingRole] : [])

  app.get<{ Params: P }>(
    paths.funding.child(':childId'),
    { config: { access: VIEW, audit: 'funding.child.view' } },
    async (request, reply) => {
      const child = request.child!
      const [years, requests] = await Promise.all([
        childYears(db, child.id),
        requestsOfChild(db, child.id),
      ])
      const thisYear = financialYearOf(londonDate(clock.now()))
      if (!years.some((y) => y.financialYear === thisYear))
        years.unshift({ financialYear: thisYear, approvedPence: 0, paidPence: 0 })
      const summaries = await Promise.all(
        years.map(async (y) => {
          const budget = await findBudget(db, child.authorityId, y.financialYear)
          const allocation = budget?.allocationPerChildPence
          return {
            year: financialYearLabel(y.financialYear),
            allocation: allocation === undefined ? 'Not set' : money(allocation),
            approved: money(y.approvedPence),
            paid: money(y.paidPence),
            remaining: allocation === undefined ? '–' : money(allocation - y.approvedPence),
            over: allocation !== undefined && y.approvedPence > allocation,
          }
        }),
      )
      return reply.render('funding/views/child.njk', {
        ...childPageModel(request, 'funding'),
        pageTitle: fundingTitles.child(child),
        summaries,
        requests: requests.map(requestRow),
      })
    },
  )

  app.get<{ Params: PP }>(
    paths.funding.pep(':childId', ':pepId'),
    { config: { access: VIEW, audit: 'funding.pep.view' }, preHandler: loadPep(db) },
    async (request, reply) => {
      const pep = fundingPepOf(request)
      const child = request.child!
      const [targets, requests] = await Promise.all([
        targetsOfPep(db, pep.id),
        requestsOfPep(db, pep.id),
      ])
      const funded = pep.formType !== 'post-16'
      const mayRequest =
        funded && pep.status !== 'signed_off' && canAct(roles(request), 'funding.request')
      return reply.render('funding/views/pep.njk', {
        ...childPageModel(request, 'peps'),
        pageTitle: fundingTitles.pep(pep),
        pepTitle: pepTitle(pep),
        pepHref: paths.peps.contents(child.id, pep.id),
        funded,
        targets: targets.map((t) => {
          const r = requests.find((x) => x.targetId === t.id)
          return {
            text: t.target || 'A target with no words yet',
            typedAmount: t.amount ? money(parsePoundsOrZero(t.amount)) : null,
            request: r ? requestRow(r) : null,
            formHref:
              mayRequest && (!r || !r.decisionId)
                ? paths.funding.target(child.id, pep.id, t.id)
                : null,
          }
        }),
        orphans: requests.filter((r) => !targets.some((t) => t.id === r.targetId)).map(requestRow),
        smartTargetsHref: paths.peps.page(child.id, pep.id, 'smart-targets'),
      })
    },
  )
}

function parsePoundsOrZero(typed: string): number {
  const parsed = parsePounds(typed)
  return parsed.ok ? parsed.value : 0
}
