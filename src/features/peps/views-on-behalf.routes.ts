import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { actorFrom } from '../../shared/actor.ts'
import { refuseIfReadOnly } from '../../shared/child-header.ts'
import { sendViews, voiceOpen } from '../young-person/voice.service.ts'
import { pepOf, pepPageModel } from './pep-context.ts'
import { pepTitles } from './pep.presenter.ts'
import { readOnBehalfForm } from './views-on-behalf.form.ts'

type Params = { childId: string; pepId: string }

/** The professionals who write the PEP and record its meeting (the young person's views in it). */
const ACCESS = { action: 'pep.meeting.record', child: true } as const

/** Why views cannot be recorded now, in staff's words. */
const REFUSED = {
  'voice.sent': 'The young person’s views have already been sent for this PEP.',
  'voice.closed': 'Section C of this PEP is finished, so views can no longer be sent for it.',
  'voice.changed': 'Someone else changed the views at the same time. Try again.',
} as const

/*
 * Staff recording the young person's views on their behalf (issue 20): the answers are written on
 * Section C's pages as usual; this marks them as given on the child's behalf, by whom, when and how
 * gathered, closes them to change and alerts the social worker and designated teacher.
 */
export const viewsOnBehalfRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    typed?: { values: { howGathered: string }; errors: FormErrors },
  ) {
    const pep = pepOf(request)
    const child = request.child!
    const open = await voiceOpen(db, pep)
    return reply.code(typed ? 400 : 200).render('peps/views/views-on-behalf.njk', {
      ...pepPageModel(request),
      pageTitle: pepTitles.viewsOnBehalf(pep, child),
      heading: pepTitles.viewsOnBehalfHeading(child),
      name: child.firstName,
      open: open.ok,
      refusal: open.ok ? undefined : REFUSED[open.error.code],
      action: paths.peps.viewsOnBehalf(pep.childId, pep.id),
      values: typed?.values ?? { howGathered: '' },
      errors: typed?.errors,
    })
  }

  app.get<{ Params: Params }>(
    paths.peps.viewsOnBehalf(':childId', ':pepId'),
    { config: { access: ACCESS, audit: 'pep.views-on-behalf.view' } },
    async (request, reply) => render(request, reply),
  )

  app.post<{ Params: Params; Body: Record<string, unknown> | undefined }>(
    paths.peps.viewsOnBehalf(':childId', ':pepId'),
    { config: { access: ACCESS, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const pep = pepOf(request)
      const read = readOnBehalfForm(request.body)
      if (!read.ok) return render(request, reply, read)
      const sent = await sendViews(db, actorFrom(request, clock), {
        pepId: pep.id,
        childId: pep.childId,
        authorityId: pep.authorityId,
        status: pep.status,
        onBehalf: true,
        howGathered: read.value.howGathered,
        baseUrl,
      })
      if (!sent.ok) {
        request.flash('info', REFUSED[sent.error.code])
        return reply.redirect(paths.peps.viewsOnBehalf(pep.childId, pep.id), 303)
      }
      request.flash(
        'success',
        `${request.child!.firstName}’s views are recorded as given on their behalf`,
      )
      return reply.redirect(paths.peps.contents(pep.childId, pep.id), 303)
    },
  )
}
