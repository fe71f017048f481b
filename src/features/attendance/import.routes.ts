import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { acceptUploads } from '../../plugins/uploads.ts'
import { actorFrom } from '../../shared/actor.ts'
import { sendExport } from '../../shared/export/send.ts'
import {
  importPageModel,
  importTemplate,
  runImport,
  type ImportOutcome,
} from '../../shared/import/pipeline.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import { authorityFor } from '../../shared/choose-authority.ts'
import { ATTENDANCE_CSV_COLUMNS, attendanceImportSpec } from './import.form.ts'
import { importAttendance, type AttendanceImportCounts } from './attendance.service.ts'
import { attendanceTitles } from './attendance.presenter.ts'

const IMPORT_MAX_BYTES = 10 * 1024 * 1024

/*
 * The Virtual School imports many schools' attendance at once (issue 19), through the one
 * import pipeline: every row checked first, all saved or none, every bad row reported by line,
 * column and reason.
 */
export const attendanceImportRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  await acceptUploads(app, IMPORT_MAX_BYTES)

  const choose = {
    action: 'attendance.import',
    title: attendanceTitles.import,
    href: paths.attendanceImport.form(),
  } as const
  const authorityOf = (request: FastifyRequest, reply: FastifyReply, asked: unknown) =>
    authorityFor(db, request, reply, asked, choose)

  const render = (
    reply: FastifyReply,
    authority: AuthorityChoice,
    refused?: Extract<ImportOutcome, { ok: false }>,
  ) =>
    reply.code(refused ? 400 : 200).render('attendance/views/import.njk', {
      pageTitle: attendanceTitles.import,
      authority,
      columns: ATTENDANCE_CSV_COLUMNS.join(','),
      ...importPageModel(refused),
    })

  app.get<{ Querystring: { authority?: string } }>(
    paths.attendanceImport.form(),
    { config: { access: { action: 'attendance.import' }, audit: 'attendance.import.view' } },
    async (request, reply) => {
      const authority = await authorityOf(request, reply, request.query.authority)
      if (!authority) return reply
      return render(reply, authority)
    },
  )

  app.get(
    paths.attendanceImport.template(),
    { config: { access: { action: 'attendance.import' }, audit: 'none' } },
    async (_request, reply) =>
      sendExport(reply, 'csv', importTemplate('attendance-template', ATTENDANCE_CSV_COLUMNS), {
        bom: false,
      }),
  )

  app.post<{ Body: { authority?: string; file?: unknown } }>(
    paths.attendanceImport.form(),
    { config: { access: { action: 'attendance.import' }, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const body = request.body ?? {}
      const authority = await authorityOf(request, reply, body.authority ?? '')
      if (!authority) return reply
      const actor = { ...actorFrom(request, clock), authorityId: authority.id }
      let counts: AttendanceImportCounts | undefined
      const outcome = await runImport(db, actor, {
        file: body.file,
        maxBytes: IMPORT_MAX_BYTES,
        action: 'attendance.import',
        authorityId: authority.id,
        spec: async () => {
          const [children, schools] = await Promise.all([
            db
              .selectFrom('child')
              .select(['id', 'upn'])
              .where('authority_id', '=', authority.id)
              .where('upn', 'is not', null)
              .execute(),
            db.selectFrom('school').select(['id', 'urn']).execute(),
          ])
          return attendanceImportSpec({
            childByUpn: new Map(children.map((c): [string, string] => [c.upn ?? '', c.id])),
            schoolByUrn: new Map(schools.map((s): [string, string] => [s.urn ?? '', s.id])),
            today: londonDate(clock.now()),
            authorityName: authority.name,
          })
        },
        save: async (rows) => {
          counts = await importAttendance(db, actor, authority.id, rows)
          return rows.length
        },
        raceMessage:
          'Nothing was imported: someone saved attendance for one of these periods meanwhile. Upload the file again',
      })
      if (!outcome.ok) return render(reply, authority, outcome)
      const c = counts!
      request.flash(
        'success',
        `${outcome.count} rows imported: ${c.added} new periods, ${c.corrected} corrected, ${c.unchanged} unchanged. ${c.alerted} below the line alerted.`,
      )
      return reply.redirect(paths.attendanceImport.form(), 303)
    },
  )
}
