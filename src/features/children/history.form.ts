import type { CalendarDate } from '../../domain/calendar-date.ts'
import { readDateInput } from '../../forms/date-input.ts'
import { FormProblems } from '../../forms/validation.ts'
import { DATE_LABELS, eventProblemText } from './events.messages.ts'
import type { EventField, EventProblem } from './events.service.ts'

/*
 * Reading the forms of a child's history: the events that change a child's record. What a form
 * alone can tell (a field left empty or too long, a date that is not a real date) is read here;
 * the rules of the change (a date to come, a school that is not open) are the service's, and
 * both are shown together, in the order of the page's fields.
 */

export type Body = Record<string, string | undefined>
export const TEXT_MAX = 500

export const text = (body: Body | undefined, name: string) =>
  typeof body?.[name] === 'string' ? body[name]!.trim() : ''

/** A problem the form itself found, and the element its link focuses. */
export type ReadProblem = { text: string; href?: string } | undefined

/** One of a change's dates, read from its three boxes. */
export function readDate(
  body: Body | undefined,
  prefix: keyof typeof DATE_LABELS,
): {
  value?: CalendarDate
  typed: { day: string; month: string; year: string }
  problem?: ReadProblem
} {
  const date = readDateInput(body, prefix, DATE_LABELS[prefix])
  if (!date.ok)
    return { typed: date.typed, problem: { text: date.error, href: `${prefix}-${date.part}` } }
  return { value: date.value, typed: date.typed }
}

/** Text longer than the history keeps, or undefined. */
export const tooLong = (value: string, name: string): ReadProblem =>
  value.length > TEXT_MAX
    ? { text: `The ${name} must be ${TEXT_MAX} characters or fewer` }
    : undefined

/** The new school's URN as typed, or what is wrong with it. */
export const urnProblem = (urn: string): ReadProblem =>
  !urn
    ? { text: 'Enter the URN of the new school' }
    : !/^\d{6}$/.test(urn)
      ? { text: 'The URN must be 6 digits, like 123456' }
      : undefined

/** The page's name for each field of the service's problems. */
const PAGE_FIELD: Record<EventField, string> = {
  school: 'urn',
  movedOn: 'movedOn',
  placement: 'placement',
  changedOn: 'changedOn',
  owner: 'owner',
  ceasedOn: 'ceasedOn',
  reason: 'reason',
}

/**
 * The form's problems and the service's as GOV.UK errors, one a field (the form's first), in the
 * order of the page's fields; a date's problem links to its day box.
 */
export function pageProblems(
  order: readonly string[],
  read: Record<string, ReadProblem>,
  problems: readonly EventProblem[],
): FormProblems {
  const shown = new FormProblems()
  for (const name of order) {
    const mine = read[name]
    const theirs = problems.find((p) => PAGE_FIELD[p.field] === name)
    if (mine) shown.add(name, mine.text, mine.href)
    else if (theirs)
      shown.add(name, eventProblemText(theirs), name in DATE_LABELS ? `${name}-day` : name)
  }
  return shown
}
