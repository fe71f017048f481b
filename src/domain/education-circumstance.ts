import { addDays, ageOn, isCalendarDate, type CalendarDate } from './calendar-date.ts'

/*
 * A child's education circumstances over time (issue 17): alternative provision, a part-time
 * timetable and, post-16, not in education, employment or training (NEET). Each is a period from
 * a day and, once known, to a day (both days included). Pure: no database, no clock.
 *
 * - Alternative provision and a part-time timetable are arranged ahead: their first day may be
 *   up to ADVANCE_DAYS ahead. NEET is a fact, not a plan: its first and last days are today or
 *   earlier.
 * - NEET is for post-16 only: the young person is 16 or over on the 31 August before its first
 *   day (year 12 or later).
 * - A part-time timetable is fewer hours than the full-time week (FULL_TIME_HOURS), given in
 *   half hours or tenths.
 */

export const CIRCUMSTANCE_KINDS = ['alternative_provision', 'part_time', 'neet'] as const
export type CircumstanceKind = (typeof CIRCUMSTANCE_KINDS)[number]

export const isCircumstanceKind = (value: unknown): value is CircumstanceKind =>
  typeof value === 'string' && (CIRCUMSTANCE_KINDS as readonly string[]).includes(value)

/** How far ahead alternative provision or a part-time timetable may be recorded to start. */
export const ADVANCE_DAYS = 90
/** The full-time school week, in hours (DfE, "Length of the school week", 2023). */
export const FULL_TIME_HOURS = 32.5
export const PROVIDER_MAX_LENGTH = 200
export const REASON_MAX_LENGTH = 500

export interface Circumstance {
  kind: CircumstanceKind
  startsOn: CalendarDate
  endsOn: CalendarDate | null
  provider: string | null
  hoursPerWeek: number | null
  reason: string | null
}

/** As typed: dates as 'YYYY-MM-DD', '' when blank, 'invalid' when not a date. */
export interface TypedCircumstance {
  startsOn: string
  endsOn: string
  provider: string
  hoursPerWeek: string
  reason: string
}

export type CircumstanceField = keyof TypedCircumstance

export type CircumstanceCode =
  | 'circumstance.date-missing'
  | 'circumstance.date-invalid'
  | 'circumstance.starts-too-far-ahead'
  | 'circumstance.starts-in-future'
  | 'circumstance.ends-in-future'
  | 'circumstance.ends-before-start'
  | 'circumstance.not-post-16'
  | 'circumstance.provider-missing'
  | 'circumstance.provider-too-long'
  | 'circumstance.hours-missing'
  | 'circumstance.hours-not-number'
  | 'circumstance.hours-not-part-time'
  | 'circumstance.reason-missing'
  | 'circumstance.reason-too-long'

export interface CircumstanceProblem {
  field: CircumstanceField
  code: CircumstanceCode
  params?: Readonly<Record<string, string | number>>
}

/** The last 31 August on or before `on`: the start of the school year a birthday counts from. */
function schoolYearAgeDay(on: CalendarDate): CalendarDate {
  const year = Number(on.slice(0, 4))
  const august = `${year}-08-31`
  return on >= august ? august : `${year - 1}-08-31`
}

/** Post-16: 16 or over on the 31 August before `on` (year 12 or later). */
export function isPost16(dateOfBirth: CalendarDate, on: CalendarDate): boolean {
  return ageOn(dateOfBirth, schoolYearAgeDay(on)) >= 16
}

/** The checks of a period's last day against its first, shared by adding and ending. */
export function checkEndsOn(
  kind: CircumstanceKind,
  startsOn: CalendarDate,
  endsOn: string,
  today: CalendarDate,
): CircumstanceCode | null {
  if (!isCalendarDate(endsOn)) return 'circumstance.date-invalid'
  if (endsOn < startsOn) return 'circumstance.ends-before-start'
  if (kind === 'neet' && endsOn > today) return 'circumstance.ends-in-future'
  return null
}

/** Checks a circumstance as given, for a child born on `dateOfBirth`. */
export function checkCircumstance(
  kind: CircumstanceKind,
  typed: TypedCircumstance,
  context: { today: CalendarDate; dateOfBirth: CalendarDate },
): { ok: true; value: Circumstance } | { ok: false; problems: CircumstanceProblem[] } {
  const problems: CircumstanceProblem[] = []
  const { today } = context
  const startsOn = typed.startsOn
  const startOk = isCalendarDate(startsOn)
  if (startsOn === '') problems.push({ field: 'startsOn', code: 'circumstance.date-missing' })
  else if (!startOk) problems.push({ field: 'startsOn', code: 'circumstance.date-invalid' })
  else if (kind === 'neet' && startsOn > today)
    problems.push({ field: 'startsOn', code: 'circumstance.starts-in-future' })
  else if (kind !== 'neet' && startsOn > addDays(today, ADVANCE_DAYS))
    problems.push({
      field: 'startsOn',
      code: 'circumstance.starts-too-far-ahead',
      params: { days: ADVANCE_DAYS },
    })
  else if (kind === 'neet' && !isPost16(context.dateOfBirth, startsOn))
    problems.push({ field: 'startsOn', code: 'circumstance.not-post-16' })
  let endsOn: CalendarDate | null = null
  if (typed.endsOn !== '') {
    if (!isCalendarDate(typed.endsOn))
      problems.push({ field: 'endsOn', code: 'circumstance.date-invalid' })
    else if (startOk) {
      const code = checkEndsOn(kind, startsOn, typed.endsOn, today)
      if (code) problems.push({ field: 'endsOn', code })
      else endsOn = typed.endsOn
    }
  }
  let provider: string | null = null
  if (kind === 'alternative_provision') {
    provider = typed.provider.trim()
    if (provider === '') problems.push({ field: 'provider', code: 'circumstance.provider-missing' })
    else if ([...provider].length > PROVIDER_MAX_LENGTH)
      problems.push({
        field: 'provider',
        code: 'circumstance.provider-too-long',
        params: { max: PROVIDER_MAX_LENGTH },
      })
  }
  let hoursPerWeek: number | null = null
  let reason: string | null = null
  if (kind === 'part_time') {
    const hours = typed.hoursPerWeek.trim()
    if (hours === '') problems.push({ field: 'hoursPerWeek', code: 'circumstance.hours-missing' })
    else if (!/^\d{1,2}(\.\d)?$/.test(hours) || Number(hours) === 0)
      problems.push({ field: 'hoursPerWeek', code: 'circumstance.hours-not-number' })
    else if (Number(hours) >= FULL_TIME_HOURS)
      problems.push({
        field: 'hoursPerWeek',
        code: 'circumstance.hours-not-part-time',
        params: { full: FULL_TIME_HOURS },
      })
    else hoursPerWeek = Number(hours)
    reason = typed.reason.trim()
    if (reason === '') problems.push({ field: 'reason', code: 'circumstance.reason-missing' })
    else if ([...reason].length > REASON_MAX_LENGTH)
      problems.push({
        field: 'reason',
        code: 'circumstance.reason-too-long',
        params: { max: REASON_MAX_LENGTH },
      })
  }
  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, value: { kind, startsOn, endsOn, provider, hoursPerWeek, reason } }
}

/** Whether two periods share a day (an open end runs on for ever). */
export function overlaps(
  a: { startsOn: CalendarDate; endsOn: CalendarDate | null },
  b: { startsOn: CalendarDate; endsOn: CalendarDate | null },
): boolean {
  return (
    (a.endsOn === null || a.endsOn >= b.startsOn) && (b.endsOn === null || b.endsOn >= a.startsOn)
  )
}

/** In the circumstance on `on` (its first and last days included). */
export function inCircumstanceOn(
  period: { startsOn: CalendarDate; endsOn: CalendarDate | null },
  on: CalendarDate,
): boolean {
  return period.startsOn <= on && (period.endsOn === null || period.endsOn >= on)
}
