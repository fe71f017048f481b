import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { childPageModel } from '../../shared/child-header.ts'
import { recordExclusion } from './attendance.service.ts'
import { pepOfChild } from './pep-attendance.ts'
import {
  EMPTY_EXCLUSION,
  readExclusionForm,
  reasonItems,
  type TypedExclusionForm,
} from './exclusions.form.ts'

type Params = { childId: string }

/*
 * Recording a suspension or permanent exclusion (issue 19): for those who record the child's
 * education ('child.education.record'); the list is on the attendance tab.
 */
export const exclusionsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  function render(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { typed: TypedExclusionForm; errors?: FormErrors; status?: number },
  ) {
    const child = request.child!
    return reply.code(form.status ?? 200).render('attendance/views/exclusion-form.njk', {
      ...childPageModel(request, 'education'),
      pageTitle: `Record an exclusion – ${child.firstName} ${child.lastName}`,
      values: form.typed,
      reasons: reasonItems(form.typed.reason),
      errors: form.errors,
      backHref: paths.children.attendance(child.id),
    })
  }

  app.get<{ Params: Params }>(
    paths.children.addExclusion(':childId'),
    {
      config: {
        access: { action: 'child.education.record', child: true, reads: 'education' },
        audit: 'child.attendance.form.view',
      },
    },
    async (request, reply) => render(request, reply, { typed: EMPTY_EXCLUSION }),
  )

  app.post<{ Params: Params; Body: Record<string, unknown>; Querystring: { pep?: string } }>(
    paths.children.addExclusion(':childId'),
    {
      config: {
        access: { action: 'child.education.record', child: true, reads: 'education' },
        audit: RECORDED_IN_TRANSACTION,
      },
    },
    async (request, reply) => {
      const child = request.child!
      const form = readExclusionForm(request.body, londonDate(clock.now()))
      if (!form.ok)
        return render(request, reply, { typed: form.typed, errors: form.errors, status: 400 })
      await recordExclusion(db, actorFrom(request, clock), {
        childId: child.id,
        authorityId: child.authorityId,
        exclusion: form.value,
      })
      request.flash('success', 'Exclusion recorded: the Virtual School has been told')
      // Opened from a PEP's exclusions page: back to it.
      const pepId = await pepOfChild(db, child.id, request.query.pep)
      return reply.redirect(
        pepId
          ? paths.peps.page(child.id, pepId, 'exclusions')
          : paths.children.attendance(child.id),
        303,
      )
    },
  )
}
