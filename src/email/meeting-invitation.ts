import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator'
import type { OutboxAttachment } from '../db/schema.ts'
import { londonInstant, type CalendarDate } from '../domain/calendar-date.ts'

/*
 * The calendar file that goes with a PEP meeting's invitation. One UID per PEP, and a sequence
 * that grows with each change, so a calendar updates the event it already holds rather than
 * adding a second one. Like the email, it never names the child.
 */

export const MEETING_MINUTES = 60

export interface MeetingCalendarInput {
  pepId: string
  /** 0 for the first invitation; one more for each reschedule. */
  sequence: number
  date: CalendarDate
  time: string
  location: string | null
  url: string
  organiser: { name: string; email: string }
  cancelled?: boolean
  now: Date
}

export function meetingCalendar(input: MeetingCalendarInput): OutboxAttachment {
  const start = londonInstant(input.date, input.time)
  const calendar = ical({
    prodId: { company: 'OpenPEP', product: 'OpenPEP', language: 'EN' },
    method: input.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  })
  calendar.createEvent({
    id: `pep-meeting-${input.pepId}@openpep`,
    sequence: input.sequence,
    stamp: input.now,
    start,
    end: new Date(start.getTime() + MEETING_MINUTES * 60_000),
    summary: 'Personal Education Plan meeting',
    description: `Sign in to OpenPEP to see the Personal Education Plan: ${input.url}`,
    location: input.location ?? undefined,
    url: input.url,
    organizer: input.organiser,
    status: input.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  })
  return {
    filename: 'pep-meeting.ics',
    contentType: `text/calendar; charset=utf-8; method=${input.cancelled ? 'CANCEL' : 'REQUEST'}`,
    content: calendar.toString(),
  }
}
