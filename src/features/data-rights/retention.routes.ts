import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { isUuid } from '../../domain/ids.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { actorFrom } from '../../shared/actor.ts'
import { authoritiesFor, type AuthorityChoice } from '../../shared/authority-scope.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { dataRightsTitles, erasureRefusalWords, policyWords } from './data-rights.presenter.ts'
import { policyErrors, retentionValues } from './retention.form.ts'
import { findPolicy, reviewList } from './retention.repository.ts'
import {
  decorateRetentionAuthority,
  findRetentionAuthority,
  loadRetentionAuthority,
  retentionAuthorityOf,
} from './retention-context.ts'
import {
  confirmErasure,
  proposeErasure,
  setRetentionPolicy,
  withdrawProposal,
  type ErasureRefusal,
} from './retention.service.ts'

const ACCESS = { action: 'data-rights.manage' } as const

type Body = Record<string, unknown> | undefined
const text = (value: unknown) => (typeof value === 'string' ? value : '')

/**
 * Retention (issue 22, ADR 13): the authority's rule, and the records past their date that two
 * different administrators erase, one proposing and another confirming.
 */
export const retentionRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  decorateRetentionAuthority(app)

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    authority: AuthorityChoice,
    form: {
      status?: number
      values?: { yearsAfterCare: string; untilAge: string }
      errors?: FormErrors
    } = {},
  ) {
    const me = request.user!.id
    const [policy, rows] = await Promise.all([
      findPolicy(db, authority.id),
      reviewList(db, authority.id),
    ])
    return reply.code(form.status ?? 200).render('data-rights/views/retention.njk', {
      pageTitle: dataRightsTitles.retention,
      authority,
      policyText: policyWords(policy),
      values: form.values ?? {
        yearsAfterCare: policy?.yearsAfterCare?.toString() ?? '',
        untilAge: policy?.untilAge?.toString() ?? '',
      },
      errors: form.errors,
      records: rows.map((r) => ({
        childId: r.childId,
        name: `${r.firstName} ${r.lastName}`,
        caseReference: r.caseReference,
        ceasedOn: r.ceasedOn ? formatDate(r.ceasedOn) : '',
        keepUntil: formatDate(r.keepUntil),
        proposal: r.proposedBy
          ? `Proposed by ${r.proposedByName ?? 'an administrator'}, ${formatDateTime(r.proposedAt!)}`
          : null,
        mine: r.proposedBy === me,
        proposeAction: paths.retention.propose(r.childId),
        withdrawAction: paths.retention.withdraw(r.childId),
        confirmAction: paths.retention.confirm(r.childId),
      })),
    })
  }

  app.get<{ Querystring: { authority?: string } }>(
    paths.retention.review(),
    {
      config: { access: ACCESS, audit: 'retention.view' },
      preHandler: loadRetentionAuthority(db, 'query'),
    },
    async (request, reply) => render(request, reply, retentionAuthorityOf(request)),
  )

  app.post<{ Body: Body }>(
    paths.retention.policy(),
    {
      config: { access: ACCESS, audit: RECORDED_IN_TRANSACTION },
      preHandler: loadRetentionAuthority(db, 'form'),
    },
    async (request, reply) => {
      const authority = retentionAuthorityOf(request)
      const values = retentionValues(request.body ?? {})
      const result = await setRetentionPolicy(db, actorFrom(request, clock), authority.id, values)
      if (!result.ok)
        return render(request, reply, authority, {
          status: 400,
          values,
          errors: policyErrors(result.error),
        })
      request.flash('success', 'Retention period saved')
      return reply.redirect(
        `${paths.retention.review()}?authority=${encodeURIComponent(authority.id)}`,
        303,
      )
    },
  )

  const steps = [
    { path: paths.retention.propose, run: proposeErasure, done: 'Erasure proposed' },
    { path: paths.retention.withdraw, run: withdrawProposal, done: 'Proposal withdrawn' },
    { path: paths.retention.confirm, run: confirmErasure, done: 'Record erased' },
  ] as const
  for (const step of steps)
    app.post<{ Params: { childId: string }; Body: Body }>(
      step.path(':childId'),
      { config: { access: ACCESS, audit: RECORDED_IN_TRANSACTION } },
      async (request, reply) => {
        const { childId } = request.params
        const mine = authoritiesFor(request.user!, 'data-rights.manage')
        if (!isUuid(childId)) return reply.notFound()
        const result: { ok: true } | { ok: false; error: { code: ErasureRefusal } } =
          await step.run(db, actorFrom(request, clock), mine, childId)
        if (!result.ok && result.error.code === 'not_found') return reply.notFound()
        // The change is made first, in the person's authorities; the page they go back to is
        // then the form's authority (as on the page), so no pre-handler loads it before.
        const authority = await findRetentionAuthority(
          db,
          request,
          reply,
          text(request.body?.['authority']),
        )
        if (!authority) return reply
        if (!result.ok)
          return render(request, reply, authority, {
            status: 409,
            errors: {
              list: [{ text: erasureRefusalWords(result.error.code), href: '#records' }],
              fields: {},
            },
          })
        request.flash('success', step.done)
        return reply.redirect(
          `${paths.retention.review()}?authority=${encodeURIComponent(authority.id)}`,
          303,
        )
      },
    )
}
