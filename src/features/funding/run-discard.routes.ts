import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { actorFrom } from '../../shared/actor.ts'
import { countOf, formatDate } from '../../views/format.ts'
import { fundingNotices, fundingTitles, money } from './funding.presenter.ts'
import { fundingAuthorityOf, inAuthority, loadFundingAuthority } from './authority-context.ts'
import type { RunRow } from './payments.repository.ts'
import { loadRun, runOf } from './run-context.ts'
import { DISCARD_REASON_MAX, runRefusalText } from './funding.messages.ts'
import type { FormErrors } from '../../forms/validation.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import { discardRun } from './payments.service.ts'
import { readDiscardForm } from './funding.form.ts'

type Q = { authority?: string }
type Params = { runId: string }
const ACCESS = { action: 'funding.pay' } as const

/*
 * Discarding a payment run not yet paid (issue 18): a page that says what will happen, an
 * optional reason, and a button. The run is kept, read-only, as discarded. A paid or discarded
 * run has no such page (404) and is never discarded.
 */
export const runDiscardRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  // An open run only: a paid or discarded one has no such page (404).
  const preHandler = [loadFundingAuthority(db, 'funding.pay'), loadRun(db, 'discard')]

  const openRun = (request: FastifyRequest) => ({
    authority: fundingAuthorityOf(request),
    run: runOf(request),
  })

  function renderDiscard(
    reply: FastifyReply,
    { authority, run }: { authority: AuthorityChoice; run: RunRow },
    form?: { reason: string; errors: FormErrors },
  ) {
    return reply.code(form ? 400 : 200).render('funding/views/run-discard.njk', {
      pageTitle: fundingTitles.discardRun(run, authority.name),
      period: `${formatDate(run.periodFrom)} to ${formatDate(run.periodTo)}`,
      lines: countOf(run.lines, 'line'),
      total: money(run.totalPence),
      action: inAuthority(paths.funding.runDiscard(run.id), authority),
      backHref: inAuthority(paths.funding.run(run.id), authority),
      reasonMax: DISCARD_REASON_MAX,
      values: { reason: form?.reason ?? '' },
      errors: form?.errors,
    })
  }

  app.get<{ Params: Params; Querystring: Q }>(
    paths.funding.runDiscard(':runId'),
    { config: { access: ACCESS, audit: 'funding.run.view' }, preHandler },
    async (request, reply) => renderDiscard(reply, openRun(request)),
  )

  app.post<{ Params: Params; Querystring: Q; Body: Record<string, unknown> | undefined }>(
    paths.funding.runDiscard(':runId'),
    { config: { access: ACCESS, audit: RECORDED_IN_TRANSACTION }, preHandler },
    async (request, reply) => {
      const found = openRun(request)
      const { authority, run } = found
      const { reason, errors } = readDiscardForm(request.body)
      if (errors) return renderDiscard(reply, found, { reason, errors })
      const discarded = await discardRun(
        db,
        actorFrom(request, clock),
        authority.id,
        run.id,
        reason,
      )
      if (!discarded.ok) {
        request.flash('info', runRefusalText(discarded.error.code, 'discard'))
        return reply.redirect(inAuthority(paths.funding.run(run.id), authority), 303)
      }
      request.flash('success', fundingNotices.runDiscarded(discarded.value.lines))
      return reply.redirect(inAuthority(paths.funding.runs(), authority), 303)
    },
  )
}
