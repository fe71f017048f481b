import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { STATUTORY_KINDS, type StatutoryKind } from '../../domain/statutory-results.ts'
import { termOf } from '../../domain/terms.ts'
import type { TypedStatutoryResult } from '../../domain/statutory-results.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { actorFrom } from '../../shared/actor.ts'
import { childPageModel } from '../../shared/child-header.ts'
import {
  emptyStatutory,
  gradeItems,
  ks2SubjectItems,
  readStatutoryForm,
  STATUTORY_HEADINGS,
  writingItems,
  yearItems,
} from './statutory.form.ts'
import { recordStatutoryResult } from './statutory.service.ts'
import { attendanceTitles } from './attendance.presenter.ts'

type Params = { childId: string; kind: string }

const isKind = (value: string): value is StatutoryKind =>
  (STATUTORY_KINDS as readonly string[]).includes(value)

/*
 * Recording a child's statutory results (issue 19): the phonics check, key stage 2 and GCSE, one
 * form each, for those who record the child's education; shown on the attainment tab.
 */
export const statutoryRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  const thisYear = () => termOf(londonDate(clock.now())).academicYear

  function render(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: StatutoryKind,
    form: { typed?: TypedStatutoryResult; errors?: FormErrors; status?: number },
  ) {
    const child = request.child!
    const typed = form.typed ?? emptyStatutory(kind, thisYear())
    const heading = STATUTORY_HEADINGS[kind]
    return reply.code(form.status ?? 200).render('attendance/views/statutory-form.njk', {
      ...childPageModel(request, 'attainment'),
      pageTitle: attendanceTitles.form(heading, child),
      heading,
      kind,
      values: typed,
      years: yearItems(thisYear(), typed.academicYear),
      ks2Subjects: ks2SubjectItems(typed.subject),
      writing: writingItems(typed.grade),
      grades: gradeItems(typed.grade),
      errors: form.errors,
      backHref: paths.children.attainment(child.id),
    })
  }

  const config = (audit: 'child.statutory-result.form.view' | typeof RECORDED_IN_TRANSACTION) => ({
    config: {
      access: { action: 'child.education.record', child: true, reads: 'education' },
      audit,
    } as const,
  })

  app.get<{ Params: Params }>(
    paths.children.addStatutoryResult(':childId', ':kind'),
    config('child.statutory-result.form.view'),
    async (request, reply) => {
      const { kind } = request.params
      if (!isKind(kind)) return reply.notFound()
      return render(request, reply, kind, {})
    },
  )

  app.post<{ Params: Params; Body: Record<string, unknown> }>(
    paths.children.addStatutoryResult(':childId', ':kind'),
    config(RECORDED_IN_TRANSACTION),
    async (request, reply) => {
      const { kind } = request.params
      if (!isKind(kind)) return reply.notFound()
      const child = request.child!
      const form = readStatutoryForm(request.body, kind, thisYear())
      if (!form.ok)
        return render(request, reply, kind, { typed: form.typed, errors: form.errors, status: 400 })
      await recordStatutoryResult(db, actorFrom(request, clock), {
        childId: child.id,
        result: form.value,
      })
      request.flash('success', 'Result recorded')
      return reply.redirect(`${paths.children.attainment(child.id)}#statutory`, 303)
    },
  )
}
