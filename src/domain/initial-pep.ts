import { addDays, daysBetween, parseCalendarDate, type CalendarDate } from './calendar-date.ts'

/*
 * The initial PEP: the first PEP of a child who has just entered care. It is flagged so the
 * Virtual School can see it was held within the statutory 20 working days.
 */

/** A child's first PEP is their initial PEP if they entered care within this many working days. */
export const INITIAL_PEP_WORKING_DAYS = 20

function isWeekday(date: CalendarDate): boolean {
  const parts = parseCalendarDate(date)
  if (!parts) throw new RangeError(`Not a calendar date: ${date}`)
  const day = new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay()
  return day !== 0 && day !== 6
}

/**
 * The working days after `from`, up to and including `to`: 0 when `to` is not after `from`.
 * A working day is Monday to Friday.
 */
// Bank holidays and the authority's closure days are not skipped yet: they come in a later issue.
export function workingDaysAfter(from: CalendarDate, to: CalendarDate): number {
  const days = daysBetween(from, to)
  if (days <= 0) return 0
  const weeks = Math.floor(days / 7)
  let count = weeks * 5
  for (let i = weeks * 7 + 1; i <= days; i++) if (isWeekday(addDays(from, i))) count++
  return count
}

/**
 * Whether a PEP started `today` is the child's initial PEP: they have no earlier PEP and entered
 * care no more than 20 working days ago. A date of entering care still to come counts as
 * entering now (their first PEP may be started before the day they come into care).
 */
export function isInitialPep(facts: {
  enteredCareOn: CalendarDate
  today: CalendarDate
  hasEarlierPep: boolean
}): boolean {
  if (facts.hasEarlierPep) return false
  return workingDaysAfter(facts.enteredCareOn, facts.today) <= INITIAL_PEP_WORKING_DAYS
}
