import { describe, expect, it } from 'vitest'
import { AUTHORITY_SETTING_DEFAULTS, type AuthoritySettings } from './authority-settings.ts'
import {
  academicYearOf,
  addMonths,
  checkNextMeetingDate,
  delegationDueDate,
  dueDateNeedsReason,
  offeredSchoolDueDate,
  escalateToSocialWorkerOn,
  escalateToVirtualSchoolOn,
  financialYearOf,
  initialPepInitiateBy,
  initialPepMeetingBy,
  isOverdue,
  nextReviewDueBy,
  schoolReminderOn,
  socialWorkerPartDueBy,
  targetDate,
  termWindowDeadline,
  workingDaysOverdue,
} from './timescales.ts'

const defaults = AUTHORITY_SETTING_DEFAULTS
const settings = (changes: Partial<AuthoritySettings>): AuthoritySettings => ({
  ...defaults,
  ...changes,
})

describe('academicYearOf', () => {
  it('runs 1 September to 31 August', () => {
    expect(academicYearOf('2026-08-31').label).toBe('2025/26')
    expect(academicYearOf('2026-09-01')).toEqual({
      startYear: 2026,
      label: '2026/27',
      start: '2026-09-01',
      end: '2027-08-31',
    })
    expect(academicYearOf('2026-12-31').label).toBe('2026/27')
    expect(academicYearOf('2027-01-01').label).toBe('2026/27')
    expect(academicYearOf('2028-02-29').label).toBe('2027/28')
  })

  it('labels the turn of the century', () => {
    expect(academicYearOf('2099-09-01').label).toBe('2099/00')
    expect(academicYearOf('2009-09-01').label).toBe('2009/10')
  })

  it('refuses what is not a date', () => {
    expect(() => academicYearOf('2026-02-30')).toThrow(RangeError)
  })
})

describe('financialYearOf', () => {
  it('runs 1 April to 31 March', () => {
    expect(financialYearOf('2027-03-31')).toEqual({
      startYear: 2026,
      label: '2026-27',
      start: '2026-04-01',
      end: '2027-03-31',
    })
    expect(financialYearOf('2027-04-01').label).toBe('2027-28')
    expect(financialYearOf('2026-12-31').label).toBe('2026-27')
    expect(financialYearOf('2027-01-01').label).toBe('2026-27')
  })
})

describe('addMonths', () => {
  it('keeps the day of the month, or the month’s last day', () => {
    expect(addMonths('2026-03-15', 6)).toBe('2026-09-15')
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28')
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29')
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30')
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28')
    expect(addMonths('2026-12-31', 2)).toBe('2027-02-28')
  })

  it('crosses year ends both ways', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28')
    expect(addMonths('2027-01-31', -2)).toBe('2026-11-30')
    expect(addMonths('2026-07-15', 0)).toBe('2026-07-15')
  })
})

describe('termWindowDeadline', () => {
  it('puts the autumn deadline in the first year and spring and summer in the second', () => {
    expect(termWindowDeadline({ academicYear: 2026, name: 'autumn' }, defaults)).toBe('2026-12-07')
    expect(termWindowDeadline({ academicYear: 2026, name: 'spring' }, defaults)).toBe('2027-03-07')
    expect(termWindowDeadline({ academicYear: 2026, name: 'summer' }, defaults)).toBe('2027-07-07')
  })

  it('follows the authority’s windows', () => {
    const own = settings({ termWindows: { autumn: '11-30', spring: '02-29', summer: '06-01' } })
    expect(termWindowDeadline({ academicYear: 2026, name: 'autumn' }, own)).toBe('2026-11-30')
    expect(termWindowDeadline({ academicYear: 2026, name: 'summer' }, own)).toBe('2027-06-01')
    // 29 February in a leap year, 28 February otherwise.
    expect(termWindowDeadline({ academicYear: 2027, name: 'spring' }, own)).toBe('2028-02-29')
    expect(termWindowDeadline({ academicYear: 2026, name: 'spring' }, own)).toBe('2027-02-28')
  })
})

describe('initial PEP timescales', () => {
  it('are 10 and 20 working days after entering care', () => {
    // Monday 23 November 2026.
    expect(initialPepInitiateBy('2026-11-23', defaults)).toBe('2026-12-07')
    expect(initialPepMeetingBy('2026-11-23', defaults)).toBe('2026-12-21')
  })

  it('skip Christmas and New Year, including substitute days', () => {
    // Entering care Friday 18 December 2026: 25 and 28 December and 1 January are holidays.
    expect(initialPepInitiateBy('2026-12-18', defaults)).toBe('2027-01-06')
    // Entering care Friday 17 December 2027: Christmas is a Saturday, so 27 and 28 December
    // are the bank holidays; New Year's Day 2028 is a Saturday, so Monday 3 January is one too.
    expect(initialPepInitiateBy('2027-12-17', defaults)).toBe('2028-01-05')
  })

  it('skip Easter', () => {
    // Good Friday 26 March and Easter Monday 29 March 2027.
    expect(initialPepInitiateBy('2027-03-19', defaults)).toBe('2027-04-06')
  })

  it('skip closure days and follow the authority’s numbers', () => {
    const closures = new Set(['2026-11-30', '2026-12-01'])
    expect(initialPepInitiateBy('2026-11-23', defaults, closures)).toBe('2026-12-09')
    expect(
      initialPepMeetingBy('2026-11-23', settings({ initialPepMeetingWorkingDays: 1 }), closures),
    ).toBe('2026-11-24')
  })
})

describe('meeting timescales', () => {
  it('the social worker’s part is due 10 calendar days before the meeting', () => {
    expect(socialWorkerPartDueBy('2027-01-05', defaults)).toBe('2026-12-26')
    expect(socialWorkerPartDueBy('2028-03-05', defaults)).toBe('2028-02-24')
    expect(
      socialWorkerPartDueBy('2028-03-05', settings({ socialWorkerDaysBeforeMeeting: 0 })),
    ).toBe('2028-03-05')
  })

  it('the target date is 7 calendar days after the meeting', () => {
    expect(targetDate('2026-12-28', defaults)).toBe('2027-01-04')
    expect(targetDate('2028-02-25', defaults)).toBe('2028-03-03')
    expect(targetDate('2027-02-25', settings({ targetDaysAfterMeeting: 3 }))).toBe('2027-02-28')
  })

  it('the delegation is due 14 calendar days after the meeting by default', () => {
    expect(delegationDueDate('2026-12-20', defaults)).toBe('2027-01-03')
    expect(delegationDueDate('2026-08-31', defaults)).toBe('2026-09-14')
  })

  it('offers the school a due date on or before the PEP’s target date, and never in the past', () => {
    const pep = { meetingOn: '2027-01-14', startedOn: '2026-12-01', targetOn: '2027-01-21' }
    // The rule gives 28 January, after the target date of 21 January: the target date is offered.
    expect(offeredSchoolDueDate(pep, '2027-01-05', defaults)).toBe('2027-01-21')
    // A rule that falls before the target date stands.
    const short = settings({ delegationDue: { days: 5, unit: 'calendar' } })
    expect(offeredSchoolDueDate(pep, '2027-01-05', short)).toBe('2027-01-19')
    // On the target date itself: still the target date.
    expect(offeredSchoolDueDate(pep, '2027-01-21', defaults)).toBe('2027-01-21')
    // The meeting was weeks ago and the target date has passed: today, which the form accepts.
    expect(offeredSchoolDueDate(pep, '2027-02-20', defaults)).toBe('2027-02-20')
    // No meeting yet, so no target date: counted from the start.
    const unset = { meetingOn: null, startedOn: '2026-12-01', targetOn: null }
    expect(offeredSchoolDueDate(unset, '2026-12-02', defaults)).toBe('2026-12-15')
  })

  it('asks a reason for a due date after the target date, only while that date is ahead', () => {
    expect(dueDateNeedsReason('2027-01-22', '2027-01-21', '2027-01-05')).toBe(true)
    expect(dueDateNeedsReason('2027-01-21', '2027-01-21', '2027-01-05')).toBe(false)
    expect(dueDateNeedsReason('2027-01-22', '2027-01-21', '2027-01-21')).toBe(true)
    // The target date has passed: every date is late, and none needs a reason.
    expect(dueDateNeedsReason('2027-01-23', '2027-01-21', '2027-01-22')).toBe(false)
    expect(dueDateNeedsReason('2027-01-23', null, '2027-01-05')).toBe(false)
  })

  it('takes a next meeting date after this meeting and within the longest gap between reviews', () => {
    const check = (next: string, meetingOn: string | null = '2026-11-20') =>
      checkNextMeetingDate(next, meetingOn, '2026-11-30', defaults)
    expect(check('2026-11-20')).toEqual({ kind: 'not-after-meeting', meetingOn: '2026-11-20' })
    expect(check('2020-03-01')?.kind).toBe('not-after-meeting')
    expect(check('2026-11-21')).toBeUndefined()
    // Six months after 20 November is 20 May: that day stands, the next does not.
    expect(check('2027-05-20')).toBeUndefined()
    expect(check('2027-05-21')).toEqual({ kind: 'too-late', latest: '2027-05-20', months: 6 })
    expect(check('2030-01-01')?.kind).toBe('too-late')
    // No meeting date yet: counted from today.
    expect(check('2026-11-30', null)).toEqual({
      kind: 'not-after-meeting',
      meetingOn: '2026-11-30',
    })
    expect(check('2027-05-30', null)).toBeUndefined()
    // An authority with a shorter gap.
    expect(
      checkNextMeetingDate(
        '2027-02-21',
        '2026-11-20',
        '2026-11-30',
        settings({ maxMonthsBetweenReviews: 3 }),
      ),
    ).toEqual({ kind: 'too-late', latest: '2027-02-20', months: 3 })
  })

  it('or a number of working days, skipping holidays and closures', () => {
    const working = settings({ delegationDue: { days: 10, unit: 'working' } })
    // Meeting Monday 23 November 2026: ten working days is Monday 7 December.
    expect(delegationDueDate('2026-11-23', working)).toBe('2026-12-07')
    // Over Christmas 2027 (Monday 27 and Tuesday 28 December, Monday 3 January 2028).
    expect(delegationDueDate('2027-12-20', working)).toBe('2028-01-06')
    expect(delegationDueDate('2027-12-20', working, new Set(['2028-01-04']))).toBe('2028-01-07')
    // Closures do not move a calendar-day due date.
    expect(delegationDueDate('2027-12-20', defaults, new Set(['2028-01-03']))).toBe('2028-01-03')
  })

  it('the next review is due within 6 months, at the end of a shorter month', () => {
    expect(nextReviewDueBy('2026-08-31', defaults)).toBe('2027-02-28')
    expect(nextReviewDueBy('2027-08-31', defaults)).toBe('2028-02-29')
    expect(nextReviewDueBy('2026-09-01', defaults)).toBe('2027-03-01')
    expect(nextReviewDueBy('2026-12-31', settings({ maxMonthsBetweenReviews: 12 }))).toBe(
      '2027-12-31',
    )
  })
})

describe('reminders and escalations', () => {
  it('remind the school working days before its due date', () => {
    // Due Tuesday 29 December 2026: two working days before skips Monday 28th and Friday 25th.
    expect(schoolReminderOn('2026-12-29', defaults)).toBe('2026-12-23')
    expect(schoolReminderOn('2026-12-29', settings({ reminderWorkingDaysBeforeDue: 0 }))).toBe(
      '2026-12-29',
    )
    expect(schoolReminderOn('2026-12-29', defaults, new Set(['2026-12-23']))).toBe('2026-12-22')
  })

  it('escalate to the social worker and then the Virtual School', () => {
    // Due Thursday 24 December 2026.
    expect(escalateToSocialWorkerOn('2026-12-24', defaults)).toBe('2026-12-29')
    expect(escalateToVirtualSchoolOn('2026-12-24', defaults)).toBe('2027-01-05')
    expect(escalateToVirtualSchoolOn('2026-12-24', defaults, new Set(['2026-12-31']))).toBe(
      '2027-01-06',
    )
  })

  it('are overdue after the due day', () => {
    expect(isOverdue('2026-12-24', '2026-12-24')).toBe(false)
    expect(isOverdue('2026-12-24', '2026-12-25')).toBe(true)
    expect(isOverdue('2026-12-31', '2027-01-01')).toBe(true)
    expect(workingDaysOverdue('2026-12-24', '2026-12-28')).toBe(0)
    expect(workingDaysOverdue('2026-12-24', '2026-12-29')).toBe(1)
    expect(workingDaysOverdue('2026-12-24', '2026-12-20')).toBe(0)
  })
})
