import { daysBetween, isCalendarDate, type CalendarDate } from './calendar-date.ts'

/*
 * Attendance over a period, as schools count it (issue 19): sessions possible (two a day, morning
 * and afternoon), sessions attended, and the absences, authorised or not. Every figure is
 * computed from the sessions, never from a rounded percentage: a pupil is persistently absent
 * who misses 10% or more of their possible sessions (so exactly 90.0% attendance counts), and
 * severely absent at 50% or more (the DfE's definitions). Pure: no database, no clock.
 */

/** The sessions of one period: attended plus both kinds of absence make the sessions possible. */
export interface Sessions {
  possible: number
  attended: number
  authorised: number
  unauthorised: number
}

export interface AttendancePeriod extends Sessions {
  startsOn: CalendarDate
  endsOn: CalendarDate
}

/** More than a school year's sessions in one period cannot be right (380 in a school year). */
export const MAX_SESSIONS = 500
/** A period is at most a year long. */
export const MAX_PERIOD_DAYS = 366

export interface AttendanceFigures {
  /** Attended as a share of possible, to one decimal place; null with no possible sessions. */
  percentage: number | null
  /** Sessions missed, authorised or not. */
  absent: number
  /** Missed 10% or more of the possible sessions (DfE). */
  persistentAbsence: boolean
  /** Missed 50% or more of the possible sessions (DfE). */
  severeAbsence: boolean
}

/** The figures of a period, from its sessions. No possible sessions: no percentage and no flag. */
export function attendanceFigures(s: Sessions): AttendanceFigures {
  const absent = s.possible - s.attended
  if (s.possible <= 0)
    return { percentage: null, absent: 0, persistentAbsence: false, severeAbsence: false }
  return {
    percentage: Math.round((s.attended * 1000) / s.possible) / 10,
    absent,
    persistentAbsence: absent * 10 >= s.possible,
    severeAbsence: absent * 2 >= s.possible,
  }
}

/**
 * Whether attendance is below the authority's line (a whole percentage, 90 by default),
 * compared in whole sessions: exactly the line is not below it.
 */
export function belowThreshold(s: Sessions, thresholdPercent: number): boolean {
  return s.possible > 0 && s.attended * 100 < thresholdPercent * s.possible
}

export type AttendanceField =
  'startsOn' | 'endsOn' | 'possible' | 'attended' | 'authorised' | 'unauthorised'

export type AttendanceCode =
  | 'attendance.date-missing'
  | 'attendance.date-invalid'
  | 'attendance.ends-before-start'
  | 'attendance.ends-in-future'
  | 'attendance.period-too-long'
  | 'attendance.sessions-missing'
  | 'attendance.sessions-not-whole'
  | 'attendance.sessions-too-many'
  | 'attendance.attended-over-possible'
  | 'attendance.sessions-do-not-add-up'

export interface AttendanceProblem {
  field: AttendanceField
  code: AttendanceCode
  params?: Readonly<Record<string, string | number>>
}

/** What a person or a file gave: dates as calendar dates (or '' when missing), sessions as typed. */
export interface TypedAttendance {
  startsOn: string
  endsOn: string
  possible: string
  attended: string
  authorised: string
  unauthorised: string
}

const SESSION_FIELDS = ['possible', 'attended', 'authorised', 'unauthorised'] as const

/** A whole number of sessions as typed ("12", " 12 "), or the code of what is wrong with it. */
export function parseSessions(text: string): number | AttendanceCode {
  const trimmed = text.trim()
  if (trimmed === '') return 'attendance.sessions-missing'
  if (!/^\d+$/.test(trimmed)) return 'attendance.sessions-not-whole'
  const n = Number(trimmed)
  return n > MAX_SESSIONS ? 'attendance.sessions-too-many' : n
}

/**
 * Checks a period as given: both dates, the end not before the start nor after today, at most a
 * year long; four whole numbers of sessions, attended no more than possible, and attended plus
 * absences making exactly the sessions possible. Every problem is listed, by field.
 */
export function checkAttendancePeriod(
  typed: TypedAttendance,
  today: CalendarDate,
): { ok: true; value: AttendancePeriod } | { ok: false; problems: AttendanceProblem[] } {
  const problems: AttendanceProblem[] = []
  for (const field of ['startsOn', 'endsOn'] as const) {
    const value = typed[field]
    if (value === '') problems.push({ field, code: 'attendance.date-missing' })
    else if (!isCalendarDate(value)) problems.push({ field, code: 'attendance.date-invalid' })
  }
  const datesOk = problems.length === 0
  if (datesOk) {
    const days = daysBetween(typed.startsOn, typed.endsOn)
    if (days < 0) problems.push({ field: 'endsOn', code: 'attendance.ends-before-start' })
    else if (typed.endsOn > today)
      problems.push({ field: 'endsOn', code: 'attendance.ends-in-future' })
    else if (days + 1 > MAX_PERIOD_DAYS)
      problems.push({
        field: 'endsOn',
        code: 'attendance.period-too-long',
        params: { days: MAX_PERIOD_DAYS },
      })
  }
  const n: Partial<Record<(typeof SESSION_FIELDS)[number], number>> = {}
  for (const field of SESSION_FIELDS) {
    const parsed = parseSessions(typed[field])
    if (typeof parsed === 'number') n[field] = parsed
    else
      problems.push({
        field,
        code: parsed,
        ...(parsed === 'attendance.sessions-too-many' && { params: { max: MAX_SESSIONS } }),
      })
  }
  const { possible, attended, authorised, unauthorised } = n
  if (possible !== undefined && attended !== undefined && attended > possible)
    problems.push({
      field: 'attended',
      code: 'attendance.attended-over-possible',
      params: { attended, possible },
    })
  else if (
    possible !== undefined &&
    attended !== undefined &&
    authorised !== undefined &&
    unauthorised !== undefined &&
    attended + authorised + unauthorised !== possible
  )
    problems.push({
      field: 'unauthorised',
      code: 'attendance.sessions-do-not-add-up',
      params: { total: attended + authorised + unauthorised, possible },
    })
  if (problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    value: {
      startsOn: typed.startsOn,
      endsOn: typed.endsOn,
      possible: possible!,
      attended: attended!,
      authorised: authorised!,
      unauthorised: unauthorised!,
    },
  }
}
