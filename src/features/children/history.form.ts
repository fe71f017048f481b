import { daysBetween, type CalendarDate } from '../../domain/calendar-date.ts'
import { readDateInput } from '../../forms/date-input.ts'
import type { FormProblems } from '../../forms/validation.ts'

/* Reading the forms of a child's history: the events that change a child's record. */

export type Body = Record<string, string | undefined>
export const TEXT_MAX = 500

export const text = (body: Body | undefined, name: string) =>
  typeof body?.[name] === 'string' ? body[name]!.trim() : ''

/** A date that has happened (by `today`), on or after `earliest` (with the words for it). */
export function readPastDate(
  today: CalendarDate,
  body: Body | undefined,
  prefix: string,
  label: string,
  problems: FormProblems,
  earliest?: { date: string; words: string },
) {
  const date = readDateInput(body, prefix, label)
  if (!date.ok) {
    problems.add(prefix, date.error, `${prefix}-${date.part}`)
    return { value: undefined, typed: date.typed }
  }
  const capital = label.charAt(0).toUpperCase() + label.slice(1)
  if (daysBetween(today, date.value) > 0)
    problems.add(prefix, `${capital} must be today or in the past`, `${prefix}-day`)
  else if (earliest && daysBetween(earliest.date, date.value) < 0) {
    problems.add(prefix, `${capital} must be on or after ${earliest.words}`, `${prefix}-day`)
  }
  return { value: date.value, typed: date.typed }
}
