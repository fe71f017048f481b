import type { CalendarDate } from './calendar-date.ts'

/*
 * How long a child's record is kept (issue 22, ADR 13). Each authority says it in years after
 * the child leaves care, or until an age, or both (then the later date): for example 25 years
 * after leaving care, or until the 75th birthday as many councils keep care records. A record
 * is kept while the child is in care whatever the rule; with no rule, it is kept for ever.
 */

export interface RetentionPolicy {
  /** Years kept after the day the child left care. */
  yearsAfterCare: number | null
  /** Kept until this birthday. */
  untilAge: number | null
}

export interface RetentionSubject {
  status: 'in_care' | 'ceased'
  dateOfBirth: CalendarDate
  ceasedOn: CalendarDate | null
}

/** The limits an authority may set: more than a century is a mistake. */
export const RETENTION_LIMITS = {
  yearsAfterCare: { min: 1, max: 100 },
  untilAge: { min: 18, max: 120 },
} as const

/** The same day `years` later; 29 February becomes 28 February in a year without it. */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const year = y + years
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const day = m === 2 && d === 29 && !leap ? 28 : d
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** The last day the record is kept, or null: kept (in care, no rule, or no date to count from). */
export function keepUntil(policy: RetentionPolicy, child: RetentionSubject): CalendarDate | null {
  if (child.status !== 'ceased' || child.ceasedOn === null) return null
  const dates: CalendarDate[] = []
  if (policy.yearsAfterCare !== null) dates.push(addYears(child.ceasedOn, policy.yearsAfterCare))
  if (policy.untilAge !== null) dates.push(addYears(child.dateOfBirth, policy.untilAge))
  if (dates.length === 0) return null
  return dates.sort().at(-1)!
}

/** Whether the record is past its date on `today`: the day after the last day kept. */
export function isPastRetention(
  policy: RetentionPolicy,
  child: RetentionSubject,
  today: CalendarDate,
): boolean {
  const until = keepUntil(policy, child)
  return until !== null && today > until
}
