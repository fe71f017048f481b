import { describe, expect, it } from 'vitest'
import { remindersDue, type ReminderRules } from './reminders.ts'

const rules: ReminderRules = {
  reminderWorkingDaysBeforeDue: 2,
  escalateToSocialWorkerAfterWorkingDays: 1,
  escalateToVirtualSchoolAfterWorkingDays: 5,
}
const kinds = (dueOn: string, today: string, meetingOn: string | null = null, r = rules) =>
  remindersDue({ dueOn, meetingOn }, today, r).map((d) => `${d.kind} ${d.forDate}`)

describe('reminders and escalations of a delegation', () => {
  it('reminds the school on the meeting day', () => {
    expect(kinds('2026-12-09', '2026-11-25', '2026-11-25')).toEqual(['meeting-today 2026-11-25'])
    expect(kinds('2026-12-09', '2026-11-24', '2026-11-25')).toEqual([])
  })

  it('counts the days before the due date in working days, across Christmas and a weekend', () => {
    // Due Wednesday 30 December 2026: Tuesday 29th is one working day before; Monday 28th
    // (Boxing Day's substitute), the weekend and Christmas Day are not working days; Thursday
    // 24th is the second.
    expect(kinds('2026-12-30', '2026-12-23')).toEqual([])
    expect(kinds('2026-12-30', '2026-12-24')).toEqual(['due-soon 2026-12-24'])
    // A run missed on the 24th is caught up later, for the same day (so still sent once).
    expect(kinds('2026-12-30', '2026-12-29')).toEqual(['due-soon 2026-12-24'])
    expect(kinds('2026-12-30', '2026-12-30')).toEqual(['due-soon 2026-12-24'])
  })

  it('skips the authority’s closure days as well', () => {
    const closures = new Set(['2026-12-24'])
    expect(
      remindersDue({ dueOn: '2026-12-30', meetingOn: null }, '2026-12-23', rules, closures),
    ).toEqual([{ kind: 'due-soon', forDate: '2026-12-23' }])
  })

  it('escalates to the social worker, then to the Virtual School, in working days overdue', () => {
    // Due Wednesday 23 December 2026. Working days after: 24th (1), 29th (2), 30th (3),
    // 31st (4), then 1 January is a bank holiday and the 2nd and 3rd a weekend: Monday 4th (5).
    expect(kinds('2026-12-23', '2026-12-23')).toEqual(['due-soon 2026-12-21'])
    expect(kinds('2026-12-23', '2026-12-24')).toEqual(['escalate-to-social-worker 2026-12-23'])
    expect(kinds('2026-12-23', '2027-01-03')).toEqual(['escalate-to-social-worker 2026-12-23'])
    expect(kinds('2026-12-23', '2027-01-04')).toEqual([
      'escalate-to-social-worker 2026-12-23',
      'escalate-to-virtual-school 2026-12-23',
    ])
  })

  it('escalates the day after the due date when the authority sets no working days', () => {
    const now = { ...rules, escalateToSocialWorkerAfterWorkingDays: 0 }
    expect(kinds('2026-12-25', '2026-12-26', null, now)).toEqual([
      'escalate-to-social-worker 2026-12-25',
    ])
  })

  it('reminds on the due date itself when the authority sets no days before', () => {
    const onTheDay = { ...rules, reminderWorkingDaysBeforeDue: 0 }
    expect(kinds('2026-12-09', '2026-12-08', null, onTheDay)).toEqual([])
    expect(kinds('2026-12-09', '2026-12-09', null, onTheDay)).toEqual(['due-soon 2026-12-09'])
  })
})
