import type { CalendarDate } from '../../domain/calendar-date.ts'
import { parseTermKey, termKey, termLabel, termOf, type Term } from '../../domain/terms.ts'
import { parseTime } from '../../forms/answers.ts'
import { readDateInput, type DateInputValues } from '../../forms/date-input.ts'
import { FormProblems } from '../../forms/validation.ts'
import type { StartRefusal } from './start.service.ts'

/* The "Start a PEP" form: reading and checking what was posted, and showing it back. */

type Body = Record<string, unknown> | undefined

export const MEETING_REASONS = [
  { value: 'new-admission', text: 'New admission to care' },
  { value: 'review', text: 'Review' },
  { value: 'care-placement-change', text: 'Change of care placement' },
  { value: 'school-placement-change', text: 'Change of school placement' },
  { value: 'other', text: 'Other' },
] as const

export const MAX_TEXT = 200
export const MAX_OUTSIDE_INVITEES = 20
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^[\d\s+()]+$/

/** Someone on the child's record, who can be invited to the meeting. */
export interface InviteeChoice {
  userId: string
  name: string
  role: string
  /** Should be at every PEP meeting: the social worker, designated teacher, carer and IRO. */
  expected?: boolean
}

/** Everything typed, as typed, to show back on an error. */
export interface TypedStart {
  term: string
  meetingOn: DateInputValues
  meetingTime: string
  meetingLocation: string
  meetingReasons: string[]
  meetingOtherReason: string
  invitees: string[]
  inviteeEmails: string
  contactName: string
  contactPhone: string
  changeOfSchool: boolean
}

/** The start, once every field is right. */
export interface StartDetails {
  term: Term
  meetingOn: CalendarDate | null
  meetingTime: string | null
  meetingLocation: string | null
  meetingReasons: string[]
  meetingOtherReason: string | null
  inviteeUserIds: string[]
  inviteeEmails: string[]
  contactName: string | null
  contactPhone: string | null
  changeOfSchool: boolean
}

const text = (body: Body, name: string, max = 1000) => {
  const value = body?.[name]
  return typeof value === 'string' ? value.trim().slice(0, max) : ''
}

const list = (body: Body, name: string): string[] => {
  const value = body?.[name]
  const values = Array.isArray(value) ? value : [value]
  return values.filter((v): v is string => typeof v === 'string' && v !== '').slice(0, 100)
}

const orNull = (value: string) => (value === '' ? null : value)

/** Shortened for an error message, so a pasted essay does not fill the page. */
const quoted = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}...` : value)

/**
 * Reads the start form. `terms` are the terms offered; `people` the child's access list. The
 * problems come in the order the fields appear; `value` is there only when there are none.
 */
export function readStartForm(
  body: Body,
  choices: { terms: readonly TermChoice[]; people: readonly InviteeChoice[] },
): { typed: TypedStart; problems: FormProblems; value?: StartDetails } {
  const problems = new FormProblems()
  const typed: TypedStart = {
    term: text(body, 'term', 20),
    meetingOn: { day: '', month: '', year: '' },
    meetingTime: text(body, 'meetingTime', 50),
    meetingLocation: text(body, 'meetingLocation', 1000),
    meetingReasons: list(body, 'meetingReasons'),
    meetingOtherReason: text(body, 'meetingOtherReason', 1000),
    invitees: list(body, 'invitees'),
    inviteeEmails: text(body, 'inviteeEmails', 10_000),
    contactName: text(body, 'contactName', 1000),
    contactPhone: text(body, 'contactPhone', 100),
    changeOfSchool: body?.['changeOfSchool'] === 'yes',
  }

  const term = parseTermKey(typed.term)
  const choice = term && choices.terms.find((t) => termKey(t.term) === termKey(term))
  const offered = Boolean(choice)
  if (!term || !choice) problems.add('term', 'Select the term the PEP is for')
  else if (choice.taken && !typed.changeOfSchool)
    problems.add(
      'term',
      `There is already a PEP for the ${termLabel(term)}. Open it from the list of PEPs, or say this is an extra review after a change of school`,
    )

  // The meeting date: optional, but in the chosen term.
  const meetingTyped = ['day', 'month', 'year'].some((p) => text(body, `meetingOn-${p}`))
  const meeting = meetingTyped ? readDateInput(body, 'meetingOn', 'the meeting date') : undefined
  if (meeting) typed.meetingOn = meeting.typed
  if (meeting && !meeting.ok) problems.add('meetingOn', meeting.error, `meetingOn-${meeting.part}`)
  else if (meeting?.ok && term && offered && termKey(termOf(meeting.value)) !== termKey(term))
    problems.add('meetingOn', `The meeting date must be in the ${termLabel(term)}`, 'meetingOn-day')
  else if (!meeting && typed.meetingTime)
    problems.add(
      'meetingOn',
      'Enter the date of the meeting, or leave its time blank',
      'meetingOn-day',
    )

  // Its time: needed with a date.
  const time = typed.meetingTime ? parseTime(typed.meetingTime) : undefined
  if (typed.meetingTime && !time)
    problems.add(
      'meetingTime',
      'The time of the meeting must be a time of day, like 14:30 or 2:30pm',
    )
  else if (meeting && !typed.meetingTime)
    problems.add('meetingTime', 'Enter the time of the meeting')

  if (typed.meetingLocation.length > MAX_TEXT)
    problems.add('meetingLocation', `Location must be ${MAX_TEXT} characters or fewer`)

  const known = MEETING_REASONS.map((r) => r.value as string)
  const reasons = known.filter((r) => typed.meetingReasons.includes(r))
  const other = reasons.includes('other')
  if (other && !typed.meetingOtherReason)
    problems.add('meetingOtherReason', 'Enter the other reason for the meeting')
  else if (other && typed.meetingOtherReason.length > MAX_TEXT)
    problems.add('meetingOtherReason', `The other reason must be ${MAX_TEXT} characters or fewer`)

  // Who is invited: people on the child's access list, and anyone else by email.
  const people = choices.people.filter((p) => typed.invitees.includes(p.userId))
  if (people.length < new Set(typed.invitees).size)
    problems.add(
      'invitees',
      'Select people on the child’s access list: someone chosen is no longer on it',
    )
  const emails: string[] = []
  for (const line of typed.inviteeEmails.split(/[\r\n,;]+/)) {
    const email = line.trim()
    if (!email) continue
    if (email.length > 254 || !EMAIL.test(email)) {
      problems.add(
        'inviteeEmails',
        `${quoted(email)} is not an email address in the correct format: enter each one like name@example.org`,
      )
      break
    }
    if (!emails.some((e) => e.toLowerCase() === email.toLowerCase())) emails.push(email)
  }
  if (emails.length > MAX_OUTSIDE_INVITEES)
    problems.add(
      'inviteeEmails',
      `Enter no more than ${MAX_OUTSIDE_INVITEES} email addresses (you entered ${emails.length})`,
    )
  const anyInvitee = typed.invitees.length > 0 || typed.inviteeEmails !== ''
  if (anyInvitee && (!meeting || !typed.meetingTime)) {
    const field = typed.invitees.length > 0 ? 'invitees' : 'inviteeEmails'
    problems.add(
      field,
      'Enter the date and time of the meeting before inviting anyone: no invitations are sent without them',
    )
  }

  if (typed.contactName.length > MAX_TEXT)
    problems.add('contactName', `Contact name must be ${MAX_TEXT} characters or fewer`)
  const digits = typed.contactPhone.replace(/\D/g, '').length
  if (typed.contactPhone && (!PHONE.test(typed.contactPhone) || digits < 7 || digits > 20))
    problems.add(
      'contactPhone',
      'Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192',
    )

  if (problems.any || !term) return { typed, problems }
  return {
    typed,
    problems,
    value: {
      term,
      meetingOn: meeting?.ok ? meeting.value : null,
      meetingTime: time ?? null,
      meetingLocation: orNull(typed.meetingLocation),
      meetingReasons: reasons,
      meetingOtherReason: other ? typed.meetingOtherReason : null,
      inviteeUserIds: people.map((p) => p.userId),
      inviteeEmails: emails,
      contactName: orNull(typed.contactName),
      contactPhone: orNull(typed.contactPhone),
      changeOfSchool: typed.changeOfSchool,
    },
  }
}

/** A term the form offers, and whether it already has a PEP (then only an extra review). */
export interface TermChoice {
  term: Term
  taken: boolean
}

/** What the template needs to lay the form out, with what was typed ticked and filled in. */
export function startFormModel(
  typed: TypedStart,
  choices: { terms: readonly TermChoice[]; people: readonly InviteeChoice[] },
) {
  return {
    terms: choices.terms.map(({ term, taken }) => ({
      value: termKey(term),
      text: termLabel(term),
      hint: taken
        ? { text: 'Already has a PEP: only for an extra review after a change of school' }
        : undefined,
      checked: typed.term === termKey(term),
    })),
    everyTermTaken: choices.terms.length > 0 && choices.terms.every((t) => t.taken),
    reasons: MEETING_REASONS.map((r) => ({
      value: r.value,
      text: r.text,
      checked: typed.meetingReasons.includes(r.value),
    })),
    people: choices.people.map((p) => ({
      value: p.userId,
      text: p.name,
      hint: { text: p.expected ? `${p.role}: usually at every PEP meeting` : p.role },
      checked: typed.invitees.includes(p.userId),
    })),
  }
}

/** A blank form. */
export function emptyStart(): TypedStart {
  return readStartForm(undefined, { terms: [], people: [] }).typed
}

/** Why a PEP was not started, in words for the term question. */
export function startRefusalText(code: StartRefusal, term: Term): string {
  return code === 'pep.term-taken'
    ? `There is already a PEP for the ${termLabel(term)}. Open it from the list of PEPs, or say this is an extra review after a change of school`
    : `This child is not of PEP age in the ${termLabel(term)}`
}
