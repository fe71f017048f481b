import type { CalendarDate } from './calendar-date.ts'
import { addWorkingDays } from './working-days.ts'

/*
 * The initial PEP's statutory clock, on screen (issue 19): from the day a child enters care, the
 * PEP is initiated within the authority's initialPepInitiateWorkingDays (10 by default) and its
 * meeting held within initialPepMeetingWorkingDays (20), in working days (weekends, bank
 * holidays and the authority's closure days skipped). A date of entering care still to come (a
 * planned entry) starts the clock on that day. Pure: no database, no clock.
 */

export type Deadline = 'met' | 'missed' | 'due' | 'late'

export interface InitialPepClock {
  initiateBy: CalendarDate
  meetingBy: CalendarDate
  /** met: done by the deadline; missed: done after it; due: not done, not yet passed; late: not done, passed. */
  initiated: Deadline
  meeting: Deadline
}

export function initialPepClock(facts: {
  enteredCareOn: CalendarDate
  today: CalendarDate
  initiateWorkingDays: number
  meetingWorkingDays: number
  closures?: ReadonlySet<CalendarDate>
  /** The child's first PEP: when it started, its meeting date and whether the meeting is confirmed. */
  firstPep: { startedOn: CalendarDate; meetingOn: CalendarDate | null; confirmed: boolean } | null
}): InitialPepClock {
  const initiateBy = addWorkingDays(facts.enteredCareOn, facts.initiateWorkingDays, facts.closures)
  const meetingBy = addWorkingDays(facts.enteredCareOn, facts.meetingWorkingDays, facts.closures)
  const pep = facts.firstPep
  const state = (done: CalendarDate | null, by: CalendarDate): Deadline =>
    done !== null ? (done <= by ? 'met' : 'missed') : facts.today > by ? 'late' : 'due'
  return {
    initiateBy,
    meetingBy,
    initiated: state(pep?.startedOn ?? null, initiateBy),
    meeting: state(pep?.confirmed ? pep.meetingOn : null, meetingBy),
  }
}

/** Whether the clock is still worth showing: something not yet done. */
export const clockRunning = (clock: InitialPepClock) =>
  clock.initiated === 'due' ||
  clock.initiated === 'late' ||
  clock.meeting === 'due' ||
  clock.meeting === 'late'
