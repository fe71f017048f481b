import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { financialYearLabel } from '../../domain/funding.ts'
import { canAct } from '../../domain/permissions.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import { childPageModel } from '../../shared/child-header.ts'
import {
  correctionErrors,
  correctionValues,
  decisionErrors,
  readDecisionForm,
  type DecisionValues,
} from './funding.form.ts'
import {
  fundingNotices,
  fundingTitles,
  money,
  OUTCOME_NAMES,
  requestRow,
} from './funding.presenter.ts'
import {
  decisionsOf,
  findRequest,
  loadFundingSettings,
  revisionsOf,
  type RequestRow,
} from './funding.repository.ts'
import { decideRequest } from './funding.service.ts'
import { correct } from './payments.service.ts'
import { fundingRequestOf, loadRequest } from './request-context.ts'

/*
 * A funding request's page (issue 18): its history and, for the Virtual School, the decision
 * (approve, approve a smaller amount, decline) and, once paid, a correction. The decision and
 * the correction are services on the Actor answering codes; their words are in
 * funding.messages.ts.
 */

type P = { childId: string }
type Body = Record<string, unknown> | undefined

const VIEW = { action: 'funding.view', child: true, reads: 'funding' } as const

export const requestRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  const roles = (request: FastifyRequest) => (request.actingRole ? [request.actingRole] : [])

  async function renderRequest(
    request: FastifyRequest<{ Params: P & { requestId: string } }>,
    reply: FastifyReply,
    found: RequestRow,
    form?: { values: DecisionValues; errors: FormErrors },
    correction?: { values: { amount: string; reason: string }; errors: FormErrors },
  ) {
    const child = request.child!
    const [revisions, decisions, settings] = await Promise.all([
      revisionsOf(db, found.id),
      decisionsOf(db, found.id),
      loadFundingSettings(db, child.authorityId),
    ])
    const mayDecide =
      canAct(roles(request), 'funding.decide') &&
      (found.pepStatus !== 'in_progress' || settings.decideBeforeSubmission)
    return reply.code(form || correction ? 400 : 200).render('funding/views/request.njk', {
      ...childPageModel(request, 'funding'),
      pageTitle: fundingTitles.request(child),
      request: requestRow(found),
      expectedImpact: found.expectedImpact,
      backHref: paths.funding.child(child.id),
      pepHref: paths.funding.pep(child.id, found.pepId),
      revisions: revisions.map((v) => ({
        ...v,
        amount: money(v.amountPence),
        when: formatDateTime(v.at),
      })),
      decisions: decisions.map((d) => ({
        ...d,
        outcomeName: OUTCOME_NAMES[d.outcome],
        amount: money(d.amountPence),
        year: financialYearLabel(d.financialYear),
        decidedOn: formatDate(d.decidedOn),
        when: formatDateTime(d.at),
      })),
      decide: mayDecide
        ? {
            action: paths.funding.decide(child.id, found.id),
            requested: money(found.amountPence),
            isHead: request.actingRole === 'vs_head',
            version: found.version,
            values: form?.values ?? {
              outcome: '',
              amount: '',
              reason: '',
              overAllocationReason: '',
            },
          }
        : null,
      waitingForSubmission:
        canAct(roles(request), 'funding.decide') && !mayDecide && !found.decisionId,
      correction:
        canAct(roles(request), 'funding.pay') && found.paidPence > 0
          ? {
              action: paths.funding.correction(child.id, found.id),
              paid: money(found.paidPence),
              values: correction?.values ?? { amount: '', reason: '' },
            }
          : null,
      errors: form?.errors ?? correction?.errors,
    })
  }

  app.get<{ Params: P & { requestId: string } }>(
    paths.funding.request(':childId', ':requestId'),
    { config: { access: VIEW, audit: 'funding.request.view' }, preHandler: loadRequest(db) },
    async (request, reply) => renderRequest(request, reply, fundingRequestOf(request)),
  )

  app.post<{ Params: P & { requestId: string }; Body: Body }>(
    paths.funding.decide(':childId', ':requestId'),
    {
      config: {
        access: { action: 'funding.decide', child: true, reads: 'funding' },
        audit: RECORDED_IN_TRANSACTION,
      },
      preHandler: loadRequest(db),
    },
    async (request, reply) => {
      const child = request.child!
      const found = fundingRequestOf(request)
      const { values, decision } = readDecisionForm(request.body)
      const result = await decideRequest(db, actorFrom(request, clock), found, decision)
      if (!result.ok) {
        const fresh = (await findRequest(db, child.id, found.id)) ?? found
        return renderRequest(request, reply, fresh, {
          values,
          errors: decisionErrors(result.error),
        })
      }
      request.flash('success', fundingNotices.decided)
      return reply.redirect(paths.funding.request(child.id, found.id), 303)
    },
  )

  app.post<{ Params: P & { requestId: string }; Body: Body }>(
    paths.funding.correction(':childId', ':requestId'),
    {
      config: {
        access: { action: 'funding.pay', child: true, reads: 'funding' },
        audit: RECORDED_IN_TRANSACTION,
      },
      preHandler: loadRequest(db),
    },
    async (request, reply) => {
      const child = request.child!
      const found = fundingRequestOf(request)
      const values = correctionValues(request.body)
      const result = await correct(db, actorFrom(request, clock), found, values)
      if (!result.ok) {
        return renderRequest(request, reply, found, undefined, {
          values,
          errors: correctionErrors(result.error),
        })
      }
      request.flash('success', fundingNotices.corrected)
      return reply.redirect(paths.funding.request(child.id, found.id), 303)
    },
  )
}
