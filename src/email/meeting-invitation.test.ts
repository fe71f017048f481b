import { describe, expect, it } from 'vitest'
import { londonInstant } from '../domain/calendar-date.ts'
import { meetingCalendar } from './meeting-invitation.ts'
import { meetingInvitationEmail, reminderEmail } from './pep-emails.ts'

describe('the instant of a time in England', () => {
  it.each([
    ['2026-12-02', '14:30', '2026-12-02T14:30:00.000Z'], // GMT
    ['2027-07-01', '10:00', '2027-07-01T09:00:00.000Z'], // BST
    ['2026-12-31', '23:59', '2026-12-31T23:59:00.000Z'], // the year's last minute
    ['2027-03-28', '00:30', '2027-03-28T00:30:00.000Z'], // before the clocks go forward at 1am
    ['2027-03-28', '03:00', '2027-03-28T02:00:00.000Z'], // after
    ['2026-10-25', '00:30', '2026-10-24T23:30:00.000Z'], // still BST before the clocks go back
    ['2026-10-25', '12:00', '2026-10-25T12:00:00.000Z'], // GMT again
    ['2028-02-29', '09:00', '2028-02-29T09:00:00.000Z'], // a leap day
  ])('%s at %s is %s', (date, time, instant) => {
    expect(londonInstant(date, time).toISOString()).toBe(instant)
  })
})

describe('the meeting’s calendar file', () => {
  const base = {
    pepId: '6f1c2d3e-0000-4000-8000-000000000001',
    sequence: 0,
    date: '2027-06-15',
    time: '09:15',
    location: 'Kingsmead Academy; room 4, "the library" – café ☕',
    url: 'https://openpep.example.org/',
    organiser: { name: 'Jordan Social', email: 'jordan@example.org' },
    now: new Date('2027-06-01T08:00:00Z'),
  }

  it('is a request for one hour at the meeting’s time, with a UID the PEP keeps', () => {
    const file = meetingCalendar(base)
    expect(file.filename).toBe('pep-meeting.ics')
    expect(file.contentType).toBe('text/calendar; charset=utf-8; method=REQUEST')
    const ics = file.content.replace(/\r\n /g, '')
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/)
    expect(ics).toContain('METHOD:REQUEST')
    expect(ics).toContain(`UID:pep-meeting-${base.pepId}@openpep`)
    expect(ics).toContain('SEQUENCE:0')
    expect(ics).toContain('DTSTAMP:20270601T080000Z')
    expect(ics).toContain('DTSTART:20270615T081500Z')
    expect(ics).toContain('DTEND:20270615T091500Z')
    expect(ics).toContain('SUMMARY:Personal Education Plan meeting')
    // RFC 5545 escapes commas, semicolons and backslashes in text.
    expect(ics).toContain('LOCATION:Kingsmead Academy\\; room 4\\, "the library" – café ☕')
    expect(ics).toContain('STATUS:CONFIRMED')
    expect(ics.trimEnd()).toMatch(/END:VCALENDAR$/)
  })

  it('cancels the same event with a higher sequence', () => {
    const ics = meetingCalendar({ ...base, sequence: 2, cancelled: true }).content
    expect(ics).toContain('METHOD:CANCEL')
    expect(ics).toContain('SEQUENCE:2')
    expect(ics).toContain('STATUS:CANCELLED')
  })

  it('goes with an invitation that tells the time and place in words', () => {
    const email = meetingInvitationEmail({
      to: 'head@example.org',
      date: base.date,
      time: base.time,
      location: null,
      invitedBy: 'Jordan Social',
      rescheduled: false,
      url: undefined,
      calendar: meetingCalendar(base),
    })
    expect(email.subject).toBe('You are invited to a Personal Education Plan meeting')
    expect(email.text).toContain(
      'Jordan Social has invited you to a Personal Education Plan meeting on 15 June 2027 at 9:15am.',
    )
    expect(email.text).toContain('The place will be confirmed.')
    expect(email.html).toContain('<html lang="en">')
    expect(email.attachments).toHaveLength(1)
  })
})

describe('reminders', () => {
  it.each([
    ['meeting-today', 'A Personal Education Plan meeting is today'],
    ['due-soon', 'The school’s part of a Personal Education Plan is due soon'],
    ['escalate-to-social-worker', 'A school’s part of a Personal Education Plan is overdue'],
  ] as const)('%s says so and gives the due date', (kind, subject) => {
    const email = reminderEmail({
      to: 'teacher@example.org',
      name: 'Robin Teacher',
      kind,
      dueOn: '2027-01-04',
      url: 'https://openpep.example.org/tray',
    })
    expect(email.subject).toBe(subject)
    expect(email.text).toContain('4 January 2027')
    expect(email.text).toContain('https://openpep.example.org/tray')
  })
})
