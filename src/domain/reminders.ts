import type { CalendarDate } from './calendar-date.ts'
import { addWorkingDays, workingDaysAfter } from './working-days.ts'

/*
 * When the school is reminded, and when an overdue contribution is escalated (section 4 of the
 * domain brief), for one live delegation on one day. Each reminder names the day it is for, so
 * the job that sends it can send it once: a run missed (the service was down) is caught up by
 * the next run, and a second run the same day sends nothing again.
 *
 * - meeting-today: on the PEP's meeting day.
 * - due-soon: from N working days before the due date up to the due date.
 * - escalate-to-social-worker: once the due date has passed by X working days (0: the day after).
 * - escalate-to-virtual-school: once it has passed by Y working days.
 */

export type ReminderKind =
  'meeting-today' | 'due-soon' | 'escalate-to-social-worker' | 'escalate-to-virtual-school'

export interface ReminderRules {
  reminderWorkingDaysBeforeDue: number
  escalateToSocialWorkerAfterWorkingDays: number
  escalateToVirtualSchoolAfterWorkingDays: number
}

export interface ReminderDue {
  kind: ReminderKind
  /** The day the reminder is for: with the delegation, what makes it happen once. */
  forDate: CalendarDate
}

export function remindersDue(
  delegation: { dueOn: CalendarDate; meetingOn: CalendarDate | null },
  today: CalendarDate,
  rules: ReminderRules,
  closures?: ReadonlySet<CalendarDate>,
): ReminderDue[] {
  const due: ReminderDue[] = []
  const { dueOn, meetingOn } = delegation
  if (meetingOn === today) due.push({ kind: 'meeting-today', forDate: today })
  const remindOn = addWorkingDays(dueOn, -rules.reminderWorkingDaysBeforeDue, closures)
  if (remindOn <= today && today <= dueOn) due.push({ kind: 'due-soon', forDate: remindOn })
  if (today > dueOn) {
    const late = workingDaysAfter(dueOn, today, closures)
    if (late >= rules.escalateToSocialWorkerAfterWorkingDays)
      due.push({ kind: 'escalate-to-social-worker', forDate: dueOn })
    if (late >= rules.escalateToVirtualSchoolAfterWorkingDays)
      due.push({ kind: 'escalate-to-virtual-school', forDate: dueOn })
  }
  return due
}
