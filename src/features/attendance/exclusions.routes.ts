import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { childPageModel } from '../../shared/child-header.ts'
import { correctExclusion, recordExclusion } from './exclusions.service.ts'
import { formatDate } from '../../views/format.ts'
import { pepOfChild } from './attendance.repository.ts'
import { submitCorrection } from './correction.form.ts'
import { exclusionOf, loadExclusion } from './correction-context.ts'
import {
  EMPTY_EXCLUSION,
  EXCLUSION_REFUSALS,
  readExclusionForm,
  reasonItems,
  statusItems,
  typedFromExclusion,
  type TypedExclusionForm,
} from './exclusions.form.ts'
import { attendanceTitles } from './attendance.presenter.ts'

type Params = { childId: string }
type ExclusionParams = Params & { exclusionId: string }

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
    form: {
      typed: TypedExclusionForm
      errors?: FormErrors
      status?: number
      correcting?: string
      refusal?: string
    },
  ) {
    const child = request.child!
    const heading = attendanceTitles.exclusionHeading(Boolean(form.correcting))
    return reply.code(form.status ?? 200).render('attendance/views/exclusion-form.njk', {
      ...childPageModel(request, 'education'),
      pageTitle: attendanceTitles.form(heading, child, Boolean(form.refusal) && !form.errors),
      heading,
      correcting: form.correcting,
      refusal: form.refusal,
      values: form.typed,
      reasons: reasonItems(form.typed.reason),
      statuses: statusItems(form.typed.status),
      errors: form.errors,
      backHref: `${paths.children.attendance(child.id)}#exclusions`,
    })
  }

  const config = (audit: 'child.attendance.form.view' | typeof RECORDED_IN_TRANSACTION) => ({
    config: {
      access: { action: 'child.education.record', child: true, reads: 'education' },
      audit,
    } as const,
  })

  const correctingText = (e: { kind: string; startsOn: string }) =>
    `the ${e.kind === 'permanent' ? 'permanent exclusion' : 'suspension'} from ${formatDate(e.startsOn)}`

  app.get<{ Params: ExclusionParams }>(
    paths.children.correctExclusion(':childId', ':exclusionId'),
    { ...config('child.attendance.form.view'), preHandler: loadExclusion(db) },
    async (request, reply) => {
      const found = exclusionOf(request)
      return render(request, reply, {
        typed: typedFromExclusion(found),
        correcting: correctingText(found),
      })
    },
  )

  app.post<{ Params: ExclusionParams; Body: Record<string, unknown> }>(
    paths.children.correctExclusion(':childId', ':exclusionId'),
    { ...config(RECORDED_IN_TRANSACTION), preHandler: loadExclusion(db) },
    async (request, reply) => {
      const child = request.child!
      return submitCorrection(request, reply, {
        found: exclusionOf(request),
        read: () => readExclusionForm(request.body, londonDate(clock.now()), { correcting: true }),
        render: (form, found) =>
          render(request, reply, { ...form, correcting: correctingText(found) }),
        save: (form, found) =>
          correctExclusion(db, actorFrom(request, clock), {
            childId: child.id,
            authorityId: child.authorityId,
            exclusionId: found.id,
            version: form.version,
            exclusion: form.value,
            status: form.status,
          }),
        refusals: EXCLUSION_REFUSALS,
        done: {
          message: 'Exclusion corrected: the earlier versions are kept below it',
          to: `${paths.children.attendance(child.id)}#exclusions`,
        },
      })
    },
  )

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
