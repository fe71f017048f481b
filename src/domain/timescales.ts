import type { AuthoritySettings } from './authority-settings.ts'
import { addDays, parseCalendarDate, toCalendarDate, type CalendarDate } from './calendar-date.ts'
import type { Term } from './terms.ts'
import { addWorkingDays, workingDaysAfter } from './working-days.ts'

/*
 * The statutory and local timescales of section 4 of the domain brief, as pure functions of
 * dates and the authority's settings. Where a timescale is in working days it also takes the
 * authority's closure days (see working-days.ts: weekends, England and Wales bank holidays and
 * closure days are skipped).
 */

type Closures = ReadonlySet<CalendarDate>

function partsOrThrow(date: CalendarDate) {
  const parts = parseCalendarDate(date)
  if (!parts) throw new RangeError(`Not a calendar date: ${date}`)
  return parts
}

const twoDigits = (n: number) => String(n % 100).padStart(2, '0')

export interface AcademicYear {
  /** The calendar year it starts in (1 September). */
  startYear: number
  /** "2026/27". */
  label: string
  start: CalendarDate
  end: CalendarDate
}

export function academicYear(startYear: number): AcademicYear {
  return {
    startYear,
    label: `${startYear}/${twoDigits(startYear + 1)}`,
    start: `${startYear}-09-01`,
    end: `${startYear + 1}-08-31`,
  }
}

/** The academic year (1 September - 31 August) a date is in. */
export function academicYearOf(date: CalendarDate): AcademicYear {
  const { year, month } = partsOrThrow(date)
  return academicYear(month >= 9 ? year : year - 1)
}

export interface FinancialYear {
  /** The calendar year it starts in (1 April). */
  startYear: number
  /** "2026-27". */
  label: string
  start: CalendarDate
  end: CalendarDate
}

export function financialYear(startYear: number): FinancialYear {
  return {
    startYear,
    label: `${startYear}-${twoDigits(startYear + 1)}`,
    start: `${startYear}-04-01`,
    end: `${startYear + 1}-03-31`,
  }
}

/** The financial year (1 April - 31 March) a date is in. */
export function financialYearOf(date: CalendarDate): FinancialYear {
  const { year, month } = partsOrThrow(date)
  return financialYear(month >= 4 ? year : year - 1)
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/**
 * `months` calendar months after (or, negative, before) a date, on the same day of the month or
 * the month's last day when it is shorter: 31 August + 6 months is 28 (or 29) February.
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  if (!Number.isInteger(months)) throw new RangeError(`Not a whole number of months: ${months}`)
  const { year, month, day } = partsOrThrow(date)
  const index = year * 12 + (month - 1) + months
  const toYear = Math.floor(index / 12)
  const toMonth = (index % 12) + 1
  return toCalendarDate({
    year: toYear,
    month: toMonth,
    day: Math.min(day, daysInMonth(toYear, toMonth)),
  })
}

/**
 * The Virtual School's submission deadline in a term, from the authority's term windows: the
 * autumn one in the academic year's first calendar year, spring and summer in its second. A
 * 29 February deadline falls on 28 February in other years.
 */
export function termWindowDeadline(term: Term, settings: AuthoritySettings): CalendarDate {
  const [month, day] = settings.termWindows[term.name].split('-').map(Number) as [number, number]
  const year = term.name === 'autumn' ? term.academicYear : term.academicYear + 1
  return toCalendarDate({ year, month, day: Math.min(day, daysInMonth(year, month)) })
}

/** The last day to initiate the initial PEP of a child who entered care on a date. */
export function initialPepInitiateBy(
  enteredCareOn: CalendarDate,
  settings: AuthoritySettings,
  closures?: Closures,
): CalendarDate {
  return addWorkingDays(enteredCareOn, settings.initialPepInitiateWorkingDays, closures)
}

/** The last day to hold the initial PEP meeting of a child who entered care on a date. */
export function initialPepMeetingBy(
  enteredCareOn: CalendarDate,
  settings: AuthoritySettings,
  closures?: Closures,
): CalendarDate {
  return addWorkingDays(enteredCareOn, settings.initialPepMeetingWorkingDays, closures)
}

/** The social worker completes their part by this day (calendar days before the meeting). */
export function socialWorkerPartDueBy(
  meetingOn: CalendarDate,
  settings: AuthoritySettings,
): CalendarDate {
  return addDays(meetingOn, -settings.socialWorkerDaysBeforeMeeting)
}

/** The target date for completing the PEP (calendar days after the meeting). */
export function targetDate(meetingOn: CalendarDate, settings: AuthoritySettings): CalendarDate {
  return addDays(meetingOn, settings.targetDaysAfterMeeting)
}

/**
 * The due date given to the school when its sections are delegated: calendar or working days
 * after the meeting, as the authority sets it.
 */
export function delegationDueDate(
  meetingOn: CalendarDate,
  settings: AuthoritySettings,
  closures?: Closures,
): CalendarDate {
  const { days, unit } = settings.delegationDue
  return unit === 'working' ? addWorkingDays(meetingOn, days, closures) : addDays(meetingOn, days)
}

/**
 * The school's due date to offer when delegating: the authority's rule, but never after the
 * PEP's target date (the school's part must be in before the PEP is due), and never before
 * today (a date the form would refuse). Counted from the meeting, or the PEP's start without one.
 */
export function offeredSchoolDueDate(
  pep: { meetingOn: CalendarDate | null; startedOn: CalendarDate; targetOn: CalendarDate | null },
  today: CalendarDate,
  settings: AuthoritySettings,
  closures?: Closures,
): CalendarDate {
  const byRule = delegationDueDate(pep.meetingOn ?? pep.startedOn, settings, closures)
  const latest = pep.targetOn !== null && pep.targetOn < byRule ? pep.targetOn : byRule
  return latest < today ? today : latest
}

/** The latest date for the next review: never more than the set months after the last one. */
export function nextReviewDueBy(
  lastMeetingOn: CalendarDate,
  settings: AuthoritySettings,
): CalendarDate {
  return addMonths(lastMeetingOn, settings.maxMonthsBetweenReviews)
}

/**
 * Whether a school's due date needs a reason: it falls after the PEP's target date while that
 * date is still ahead (once it has passed, any date is late and today is offered).
 */
export function dueDateNeedsReason(
  dueOn: CalendarDate,
  targetOn: CalendarDate | null,
  today: CalendarDate,
): boolean {
  return targetOn !== null && targetOn >= today && dueOn > targetOn
}

export type NextMeetingProblem =
  | { kind: 'not-after-meeting'; meetingOn: CalendarDate }
  | { kind: 'too-late'; latest: CalendarDate; months: number }

/**
 * Whether a PEP's next meeting date can stand: after this meeting (or today, with no meeting
 * date yet), and no further from it than the authority's longest gap between reviews.
 */
export function checkNextMeetingDate(
  next: CalendarDate,
  meetingOn: CalendarDate | null,
  today: CalendarDate,
  settings: AuthoritySettings,
): NextMeetingProblem | undefined {
  const from = meetingOn ?? today
  if (next <= from) return { kind: 'not-after-meeting', meetingOn: from }
  const latest = nextReviewDueBy(from, settings)
  if (next > latest) return { kind: 'too-late', latest, months: settings.maxMonthsBetweenReviews }
  return undefined
}

/** The day to remind the school: the set working days before its due date. */
export function schoolReminderOn(
  dueOn: CalendarDate,
  settings: AuthoritySettings,
  closures?: Closures,
): CalendarDate {
  return addWorkingDays(dueOn, -settings.reminderWorkingDaysBeforeDue, closures)
}

/** The day an overdue contribution escalates to the social worker. */
export function escalateToSocialWorkerOn(
  dueOn: CalendarDate,
  settings: AuthoritySettings,
  closures?: Closures,
): CalendarDate {
  return addWorkingDays(dueOn, settings.escalateToSocialWorkerAfterWorkingDays, closures)
}

/** The day an overdue contribution escalates to the Virtual School. */
export function escalateToVirtualSchoolOn(
  dueOn: CalendarDate,
  settings: AuthoritySettings,
  closures?: Closures,
): CalendarDate {
  return addWorkingDays(dueOn, settings.escalateToVirtualSchoolAfterWorkingDays, closures)
}

/** Whether something due on `dueOn` is overdue on `today` (the due day itself is in time). */
export function isOverdue(dueOn: CalendarDate, today: CalendarDate): boolean {
  return today > dueOn
}

/** How many working days something due on `dueOn` is overdue on `today` (0 if in time). */
export function workingDaysOverdue(
  dueOn: CalendarDate,
  today: CalendarDate,
  closures?: Closures,
): number {
  return workingDaysAfter(dueOn, today, closures)
}
