import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import { paths } from '../../paths.ts'
import { formatDate } from '../../views/format.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { childPageModel } from '../../shared/child-header.ts'
import {
  EMPTY_FORM,
  REFUSALS,
  readAttendanceForm,
  typedFromPeriod,
  type TypedAttendanceForm,
} from './attendance.form.ts'
import { attendanceTitles, presentAttendance, presentExclusions } from './attendance.presenter.ts'
import { listExclusionRevisions, listExclusions } from './exclusions.repository.ts'
import { listAttendance, pepOfChild } from './attendance.repository.ts'
import { attendancePeriodOf, loadAttendancePeriod } from './correction-context.ts'
import { addAttendance, correctAttendance } from './attendance.service.ts'
import { submitCorrection } from './correction.form.ts'

type Params = { childId: string }
type PeriodParams = Params & { periodId: string }

/*
 * The child's attendance over time (issue 19), a tab of the record read by staff (RECORD_PARTS
 * 'education'): a chart and its table, each period's flags, and its earlier versions. Adding and
 * correcting are for the professionals who write the PEP's education sections and the Virtual
 * School ('child.education.record'); a correction keeps what it corrects.
 */
export const attendanceRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  app.get<{ Params: Params }>(
    paths.children.attendance(':childId'),
    {
      config: {
        access: { action: 'child.view', child: true, reads: 'education' },
        audit: 'child.attendance.view',
      },
    },
    async (request, reply) => {
      const page = childPageModel(request, 'education')
      const child = request.child!
      const canChange = page.can.recordEducation && !page.childHeader.ceased
      return reply.render('attendance/views/attendance.njk', {
        ...page,
        pageTitle: attendanceTitles.attendance(request.child!),
        ...presentAttendance(child.id, await listAttendance(db, child.id), canChange),
        addHref: canChange ? paths.children.addAttendance(child.id) : '',
        exclusions: presentExclusions(
          child.id,
          await listExclusions(db, child.id),
          await listExclusionRevisions(db, child.id),
          canChange,
        ),
        addExclusionHref: canChange ? paths.children.addExclusion(child.id) : '',
      })
    },
  )

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: {
      typed: TypedAttendanceForm
      errors?: FormErrors
      refusal?: string
      status?: number
      correcting?: { id: string; text: string }
    },
  ) {
    const child = request.child!
    const title = attendanceTitles.periodHeading(Boolean(form.correcting))
    return reply.code(form.status ?? 200).render('attendance/views/attendance-form.njk', {
      ...childPageModel(request, 'education'),
      pageTitle: attendanceTitles.form(title, child),
      heading: title,
      correcting: form.correcting?.text,
      values: form.typed,
      errors: form.errors,
      refusal: form.refusal,
      backHref: paths.children.attendance(child.id),
    })
  }

  const formConfig = (audit: 'child.attendance.form.view' | typeof RECORDED_IN_TRANSACTION) => ({
    config: {
      access: { action: 'child.education.record', child: true, reads: 'education' },
      audit,
    } as const,
  })

  app.get<{ Params: Params }>(
    paths.children.addAttendance(':childId'),
    formConfig('child.attendance.form.view'),
    async (request, reply) => renderForm(request, reply, { typed: EMPTY_FORM }),
  )

  app.post<{ Params: Params; Body: Record<string, unknown>; Querystring: { pep?: string } }>(
    paths.children.addAttendance(':childId'),
    formConfig(RECORDED_IN_TRANSACTION),
    async (request, reply) => {
      const child = request.child!
      // Opened from a PEP's attendance page: the period is the PEP's, and the page comes next.
      const pepId = await pepOfChild(db, child.id, request.query.pep)
      const form = readAttendanceForm(request.body, londonDate(clock.now()))
      if (!form.ok)
        return renderForm(request, reply, { typed: form.typed, errors: form.errors, status: 400 })
      const saved = await addAttendance(db, actorFrom(request, clock), {
        childId: child.id,
        period: form.value,
        ...(pepId && { pepId }),
      })
      if (!saved.ok)
        return renderForm(request, reply, {
          typed: form.typed,
          refusal: REFUSALS[saved.error.code],
          status: 409,
        })
      request.flash('success', 'Attendance added')
      return reply.redirect(
        pepId
          ? paths.peps.page(child.id, pepId, 'attendance')
          : paths.children.attendance(child.id),
        303,
      )
    },
  )

  const correctingText = (row: { startsOn: string; endsOn: string; schoolName: string | null }) =>
    `${row.schoolName ?? 'School not recorded'}, ${formatDate(row.startsOn)} to ${formatDate(row.endsOn)}`

  app.get<{ Params: PeriodParams }>(
    paths.children.correctAttendance(':childId', ':periodId'),
    {
      ...formConfig('child.attendance.form.view'),
      preHandler: loadAttendancePeriod(db, 'current'),
    },
    async (request, reply) => {
      const row = attendancePeriodOf(request)
      return renderForm(request, reply, {
        typed: typedFromPeriod(row),
        correcting: { id: row.id, text: correctingText(row) },
      })
    },
  )

  app.post<{ Params: PeriodParams; Body: Record<string, unknown> }>(
    paths.children.correctAttendance(':childId', ':periodId'),
    // Found even when corrected meanwhile: the service refuses that, with what was typed.
    { ...formConfig(RECORDED_IN_TRANSACTION), preHandler: loadAttendancePeriod(db, 'any') },
    async (request, reply) => {
      const child = request.child!
      return submitCorrection(request, reply, {
        found: attendancePeriodOf(request),
        read: () => readAttendanceForm(request.body, londonDate(clock.now())),
        render: (form, row) =>
          renderForm(request, reply, {
            ...form,
            correcting: { id: row.id, text: correctingText(row) },
          }),
        save: (form, row) =>
          correctAttendance(db, actorFrom(request, clock), {
            childId: child.id,
            periodId: row.id,
            period: form.value,
          }),
        refusals: REFUSALS,
        done: {
          message: 'Attendance corrected: the earlier figures are kept below it',
          to: paths.children.attendance(child.id),
        },
      })
    },
  )
}
