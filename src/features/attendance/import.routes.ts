import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { importRoutes } from '../../shared/import/routes.ts'
import {
  ATTENDANCE_CSV_COLUMNS,
  attendanceImportSpec,
  type AttendanceImportRow,
} from './import.form.ts'
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
  options,
) => {
  const { db, clock } = options
  await importRoutes<AttendanceImportRow>(app, options, {
    path: paths.attendanceImport.form(),
    template: {
      path: paths.attendanceImport.template(),
      name: 'attendance-template',
      columns: ATTENDANCE_CSV_COLUMNS,
    },
    access: 'attendance.import',
    pageAudit: 'attendance.import.view',
    title: attendanceTitles.import,
    view: 'attendance/views/import.njk',
    pageModel: { columns: ATTENDANCE_CSV_COLUMNS.join(',') },
    maxBytes: IMPORT_MAX_BYTES,
    importInto: (authority, who) => {
      const actor = { ...who, authorityId: authority.id }
      let counts: AttendanceImportCounts | undefined
      return {
        action: 'attendance.import',
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
        imported: (count) => {
          const c = counts!
          return {
            message: `${count} rows imported: ${c.added} new periods, ${c.corrected} corrected, ${c.unchanged} unchanged. ${c.alerted} below the line alerted.`,
            redirect: paths.attendanceImport.form(),
          }
        },
      }
    },
  })
}
