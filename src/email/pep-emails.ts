import type { OutboxAttachment } from '../db/schema.ts'
import { londonInstant, type CalendarDate } from '../domain/calendar-date.ts'
import type { ReminderKind } from '../domain/reminders.ts'
import { formatDate, formatDateTime } from '../views/format.ts'
import type { EmailMessage } from './outbox.repository.ts'
import { composeEmail } from './templates.ts'

/*
 * The emails of a PEP's life. Each says what happened and what to do, links to the work tray
 * (the link carries nothing about the child), and never names the child: email leaves the
 * council's systems, the tray does not.
 */

interface Recipient {
  to: string
  /** The person's name, or undefined for someone outside OpenPEP. */
  name?: string
}

const WHY = 'You get these emails because you work on Personal Education Plans in OpenPEP.'

function pepEmail(
  recipient: Recipient,
  subject: string,
  paragraphs: string[],
  url: string | undefined,
  linkText = 'Open your work tray',
): EmailMessage {
  return composeEmail({
    to: recipient.to,
    subject,
    greeting: recipient.name ? `Dear ${recipient.name},` : 'Hello,',
    paragraphs,
    link: url ? { text: linkText, url } : undefined,
    closing: [WHY],
  })
}

export function meetingInvitationEmail(
  recipient: Recipient & {
    date: CalendarDate
    time: string
    location: string | null
    invitedBy: string
    rescheduled: boolean
    /** Where an invitee with an account signs in; none for someone outside OpenPEP. */
    url: string | undefined
    calendar: OutboxAttachment
  },
): EmailMessage {
  const when = formatDateTime(londonInstant(recipient.date, recipient.time))
  const message = pepEmail(
    recipient,
    recipient.rescheduled
      ? 'A Personal Education Plan meeting has moved'
      : 'You are invited to a Personal Education Plan meeting',
    [
      recipient.rescheduled
        ? `The Personal Education Plan meeting you were invited to has moved. It is now on ${when}.`
        : `${recipient.invitedBy} has invited you to a Personal Education Plan meeting on ${when}.`,
      recipient.location ? `Where: ${recipient.location}.` : 'The place will be confirmed.',
      'The calendar file attached adds the meeting to your calendar.',
    ],
    recipient.url,
    'Sign in to OpenPEP',
  )
  return { ...message, attachments: [recipient.calendar] }
}

/**
 * The school's part given (or passed on) to someone (issue 15). When only some pages went, it
 * names them (the form's page titles, never anything typed, nor the child).
 */
export const delegationEmail = (
  r: Recipient & {
    dueOn: CalendarDate
    url: string
    /** "Section B: Attendance" for each page given, or null when the school's sections went whole. */
    pages: readonly string[] | null
    /** Passed on by a colleague at the school, not given by the social worker. */
    passedOn?: boolean
  },
) => {
  const who = r.passedOn ? 'A colleague at your school has' : 'A social worker has'
  const what = r.pages
    ? [
        `${who} asked you to complete ${r.pages.length === 1 ? 'this page' : `these ${r.pages.length} pages`} of the school’s sections of a Personal Education Plan:`,
        ...r.pages,
        'The other pages are not yours to change.',
      ]
    : [`${who} asked you to complete the school’s sections of a Personal Education Plan.`]
  return pepEmail(
    r,
    'A Personal Education Plan needs your contribution',
    [
      ...what,
      `Please complete ${r.pages?.length === 1 ? 'it' : 'them'} by ${formatDate(r.dueOn)}.`,
    ],
    r.url,
  )
}

export const contributionSentEmail = (r: Recipient & { url: string }) =>
  pepEmail(
    r,
    'The school has sent its part of a Personal Education Plan',
    [
      'The designated teacher has completed the school’s sections of a Personal Education Plan for you to check.',
    ],
    r.url,
  )

export const contributionReturnedEmail = (r: Recipient & { url: string }) =>
  pepEmail(
    r,
    'A Personal Education Plan has been returned to you',
    [
      'A social worker has returned the school’s sections of a Personal Education Plan with comments. Everything you wrote is kept.',
    ],
    r.url,
  )

export const improvementRequestedEmail = (r: Recipient & { url: string }) =>
  pepEmail(
    r,
    'A Personal Education Plan needs improvement',
    [
      'The Virtual School has returned a Personal Education Plan for improvement, with comments. Everything in it is kept.',
    ],
    r.url,
  )

/** Whose views were sent, in an email's words: never the child's name (issue 20). */
export type ViewsGiver = 'young-person' | 'on-behalf' | 'carer'

const VIEWS_SENT: Record<ViewsGiver, string> = {
  'young-person':
    'A young person has sent their views for their Personal Education Plan, in their own words. You can read them in the PEP before the meeting.',
  'on-behalf':
    'A young person’s views for their Personal Education Plan have been recorded on their behalf. You can read them in the PEP before the meeting.',
  carer:
    'A carer has sent their views for a Personal Education Plan. You can read them in the PEP before the meeting.',
}

export const viewsSentEmail = (r: Recipient & { url: string; giver: ViewsGiver }) =>
  pepEmail(
    r,
    r.giver === 'carer'
      ? 'A carer has sent their views for a Personal Education Plan'
      : 'A young person’s views for a Personal Education Plan have been sent',
    [VIEWS_SENT[r.giver]],
    r.url,
  )

export const signedOffEmail = (r: Recipient & { url: string }) =>
  pepEmail(
    r,
    'A Personal Education Plan has been signed off',
    [
      'A Personal Education Plan you worked on has been signed off by the Virtual School. You can read its quality assurance.',
    ],
    r.url,
  )

/**
 * To a carer with access to the child now (issue 20): a PEP was signed off. A link to sign in,
 * never the PEP itself, and no child named.
 */
export const carerSignedOffEmail = (r: Recipient & { url: string }) =>
  composeEmail({
    to: r.to,
    subject: 'A Personal Education Plan has been signed off',
    greeting: r.name ? `Dear ${r.name},` : 'Hello,',
    paragraphs: [
      'A Personal Education Plan for a child in your care has been signed off by the Virtual School.',
      'Sign in to OpenPEP to read it or download it.',
    ],
    link: { text: 'Sign in', url: r.url },
    closing: ['You get these emails because you are a carer with access to OpenPEP.'],
  })

/** The reminders that go by email: the Virtual School's escalation goes to a group tray. */
export type EmailedReminder = Exclude<ReminderKind, 'escalate-to-virtual-school'>

const REMINDERS: Record<EmailedReminder, { subject: string; what: (dueOn: string) => string }> = {
  'meeting-today': {
    subject: 'A Personal Education Plan meeting is today',
    what: (dueOn) =>
      `A Personal Education Plan meeting for a child at your school is today. The school’s sections are due by ${dueOn}.`,
  },
  'due-soon': {
    subject: 'The school’s part of a Personal Education Plan is due soon',
    what: (dueOn) =>
      `The school’s sections of a Personal Education Plan delegated to you are due by ${dueOn}.`,
  },
  'escalate-to-social-worker': {
    subject: 'A school’s part of a Personal Education Plan is overdue',
    what: (dueOn) =>
      `The school’s sections of a Personal Education Plan you are responsible for were due by ${dueOn} and have not been sent. Please follow it up with the school.`,
  },
}

export const reminderEmail = (
  r: Recipient & { kind: EmailedReminder; dueOn: CalendarDate; url: string },
) => pepEmail(r, REMINDERS[r.kind].subject, [REMINDERS[r.kind].what(formatDate(r.dueOn))], r.url)

/** The Virtual School's reminder, sent from its overdue list: how many, never who. */
export const missingDataReminderEmail = (r: Recipient & { count: number; url: string }) =>
  pepEmail(
    r,
    'The Virtual School: this term’s attendance and attainment',
    [
      r.count === 1
        ? 'The Virtual School has asked you for this term’s attendance or attainment of a child in care at your school.'
        : `The Virtual School has asked you for this term’s attendance or attainment of ${r.count} children in care at your school.`,
      'Each is in your work tray, with what is missing.',
    ],
    r.url,
  )

export const overdueReminderEmail = (r: Recipient & { count: number; url: string }) =>
  pepEmail(
    r,
    r.count === 1
      ? 'The Virtual School: a Personal Education Plan is overdue'
      : `The Virtual School: ${r.count} Personal Education Plans are overdue`,
    [
      r.count === 1
        ? 'The Virtual School has asked you to complete a Personal Education Plan that is overdue.'
        : `The Virtual School has asked you to complete ${r.count} Personal Education Plans that are overdue.`,
      'Each is in your work tray, with what is overdue.',
    ],
    r.url,
  )
