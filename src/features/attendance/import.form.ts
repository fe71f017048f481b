import {
  checkAttendancePeriod,
  type AttendanceField,
  type AttendancePeriod,
} from '../../domain/attendance.ts'
import { isCalendarDate, type CalendarDate } from '../../domain/calendar-date.ts'
import type { CellProblem, ImportSpec } from '../../domain/import-rows.ts'
import { normaliseUpn } from '../../domain/upn.ts'
import { attendanceMessage } from './attendance.form.ts'

/*
 * The attendance file's place in the one import pipeline (ADR 7; issue 19): a row per child,
 * school and period, from many schools at once. Each row names the child by UPN (one of the
 * authority's children) and the school by URN (any school: a child may be placed out of county),
 * and its sessions are checked by the same rule as the form. A row repeating another's child,
 * school and period is refused; re-importing a file changes nothing that is the same.
 */

export const ATTENDANCE_CSV_COLUMNS = [
  'upn',
  'school_urn',
  'period_start',
  'period_end',
  'sessions_possible',
  'sessions_attended',
  'authorised_absence',
  'unauthorised_absence',
] as const

export interface AttendanceImportRow extends AttendancePeriod {
  childId: string
  schoolId: string
}

const COLUMN_OF: Record<AttendanceField, string> = {
  startsOn: 'period_start',
  endsOn: 'period_end',
  possible: 'sessions_possible',
  attended: 'sessions_attended',
  authorised: 'authorised_absence',
  unauthorised: 'unauthorised_absence',
}

/** A date as a file gives it: 2026-09-01 or 01/09/2026 (as spreadsheets save it in the UK). */
export function fileDate(text: string): CalendarDate | 'invalid' | '' {
  const t = text.trim()
  if (t === '') return ''
  if (isCalendarDate(t)) return t
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t)
  if (uk) {
    const iso = `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}`
    if (isCalendarDate(iso)) return iso
  }
  return 'invalid'
}

export function attendanceImportSpec(lookups: {
  /** The authority's children by UPN (normalised). */
  childByUpn: ReadonlyMap<string, string>
  /** Every school by URN. */
  schoolByUrn: ReadonlyMap<string, string>
  today: CalendarDate
  authorityName: string
}): ImportSpec<AttendanceImportRow> {
  const seen = new Map<string, number>()
  return {
    plural: 'attendance rows',
    columns: ATTENDANCE_CSV_COLUMNS,
    required: ATTENDANCE_CSV_COLUMNS,
    maxRows: 100_000,
    checkRow(cell, line) {
      const problems: CellProblem[] = []
      const upn = normaliseUpn(cell('upn'))
      const childId = lookups.childByUpn.get(upn)
      if (upn === '') problems.push({ column: 'upn', message: 'Enter the UPN' })
      else if (!childId)
        problems.push({
          column: 'upn',
          message: `No child of ${lookups.authorityName} has the UPN ${upn}`,
        })
      const urn = cell('school_urn').trim()
      const schoolId = lookups.schoolByUrn.get(urn)
      if (urn === '') problems.push({ column: 'school_urn', message: 'Enter the school’s URN' })
      else if (!schoolId)
        problems.push({ column: 'school_urn', message: `There is no school with the URN ${urn}` })
      const starts = fileDate(cell('period_start'))
      const ends = fileDate(cell('period_end'))
      const period = checkAttendancePeriod(
        {
          startsOn: starts === 'invalid' ? '0000-00-00' : starts,
          endsOn: ends === 'invalid' ? '0000-00-00' : ends,
          possible: cell('sessions_possible'),
          attended: cell('sessions_attended'),
          authorised: cell('authorised_absence'),
          unauthorised: cell('unauthorised_absence'),
        },
        lookups.today,
      )
      if (!period.ok)
        for (const p of period.problems)
          problems.push({
            column: COLUMN_OF[p.field],
            message:
              p.code === 'attendance.date-invalid'
                ? `${COLUMN_OF[p.field]} must be a real date, like 2026-09-01 or 01/09/2026`
                : attendanceMessage(p),
          })
      if (problems.length > 0 || !period.ok || !childId || !schoolId) return { ok: false, problems }
      const key = `${childId}|${schoolId}|${period.value.startsOn}|${period.value.endsOn}`
      const first = seen.get(key)
      if (first !== undefined)
        return {
          ok: false,
          problems: [
            {
              column: 'upn',
              message: `The same child, school and period are also on line ${first}`,
            },
          ],
        }
      seen.set(key, line)
      return { ok: true, value: { ...period.value, childId, schoolId } }
    },
  }
}
