import { BANK_HOLIDAY_YEARS, bankHolidaysIn, isBankHoliday, isWeekend } from './bank-holidays.ts'
import { addDays, daysBetween, type CalendarDate } from './calendar-date.ts'

/*
 * Working days (section 4 of the domain brief): Monday to Friday, not a bank holiday in England
 * and Wales, and not one of the authority's closure days.
 *
 * Bank holidays are known for the years in BANK_HOLIDAY_YEARS only; outside them, working days
 * skip weekends and closure days only.
 */

export { BANK_HOLIDAY_YEARS }

const NONE: ReadonlySet<CalendarDate> = new Set()

export function isWorkingDay(
  date: CalendarDate,
  closures: ReadonlySet<CalendarDate> = NONE,
): boolean {
  return !isWeekend(date) && !isBankHoliday(date) && !closures.has(date)
}

/**
 * The `days`-th working day after `from` (0: `from` itself, whether or not it is a working
 * day). A negative count goes back: -1 is the last working day before `from`.
 */
export function addWorkingDays(
  from: CalendarDate,
  days: number,
  closures: ReadonlySet<CalendarDate> = NONE,
): CalendarDate {
  if (!Number.isInteger(days)) throw new RangeError(`Not a whole number of days: ${days}`)
  const step = days < 0 ? -1 : 1
  let date = from
  for (let left = Math.abs(days); left > 0;) {
    date = addDays(date, step)
    if (isWorkingDay(date, closures)) left--
  }
  return date
}

/** Monday to Friday after `from`, up to and including `to` (`to` after `from`). */
function weekdaysAfter(from: CalendarDate, days: number): number {
  const weeks = Math.floor(days / 7)
  let count = weeks * 5
  for (let i = weeks * 7 + 1; i <= days; i++) if (!isWeekend(addDays(from, i))) count++
  return count
}

/**
 * The working days after `from`, up to and including `to`: 0 when `to` is not after `from`.
 * (Counted by weeks, less the bank holidays and closure days in between, so long spans are
 * cheap.)
 */
export function workingDaysAfter(
  from: CalendarDate,
  to: CalendarDate,
  closures: ReadonlySet<CalendarDate> = NONE,
): number {
  const days = daysBetween(from, to)
  if (days <= 0) return 0
  let count = weekdaysAfter(from, days)
  const inRange = (date: CalendarDate) => date > from && date <= to
  const first = Number(from.slice(0, 4))
  const last = Number(to.slice(0, 4))
  for (
    let year = Math.max(first, BANK_HOLIDAY_YEARS.first);
    year <= Math.min(last, BANK_HOLIDAY_YEARS.last);
    year++
  ) {
    count -= bankHolidaysIn(year).filter((h) => inRange(h.date) && !isWeekend(h.date)).length
  }
  for (const closure of closures) {
    if (inRange(closure) && !isWeekend(closure) && !isBankHoliday(closure)) count--
  }
  return count
}
