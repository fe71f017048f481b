import type { CalendarDate } from '../../domain/calendar-date.ts'
import {
  checkCircumstance,
  checkEndsOn,
  type Circumstance,
  type CircumstanceKind,
} from '../../domain/education-circumstance.ts'
import { CIRCUMSTANCE_REFUSALS, circumstanceMessage } from '../../forms/circumstance-messages.ts'
import { readDateInput, type DateInputValues } from '../../forms/date-input.ts'
import { FormProblems, formError, type FormErrors } from '../../forms/validation.ts'

/* The forms of a child's education circumstances (issue 17): read, checked by the domain's rule. */

/** The kinds as they appear in the address. */
export const KIND_SLUGS: Record<string, CircumstanceKind> = {
  'alternative-provision': 'alternative_provision',
  'part-time': 'part_time',
  neet: 'neet',
}
export const SLUG_OF: Record<CircumstanceKind, string> = {
  alternative_provision: 'alternative-provision',
  part_time: 'part-time',
  neet: 'neet',
}

export interface TypedCircumstanceForm {
  startsOn: DateInputValues
  endsOn: DateInputValues
  provider: string
  hoursPerWeek: string
  reason: string
}

export const EMPTY_CIRCUMSTANCE: TypedCircumstanceForm = {
  startsOn: { day: '', month: '', year: '' },
  endsOn: { day: '', month: '', year: '' },
  provider: '',
  hoursPerWeek: '',
  reason: '',
}

/** Kept as typed, cut only far past the rule's limits (the rule reports the length). */
const text = (body: Record<string, unknown> | undefined, name: string, max: number) => {
  const value = body?.[name]
  return typeof value === 'string' ? value.slice(0, max) : ''
}

const blank = (d: DateInputValues) => !d.day && !d.month && !d.year

const HREFS = {
  startsOn: 'startsOn-day',
  endsOn: 'endsOn-day',
  provider: 'provider',
  hoursPerWeek: 'hoursPerWeek',
  reason: 'reason',
} as const

export function readCircumstanceForm(
  kind: CircumstanceKind,
  body: Record<string, unknown> | undefined,
  context: { today: CalendarDate; dateOfBirth: CalendarDate },
):
  | { ok: true; value: Circumstance; typed: TypedCircumstanceForm }
  | { ok: false; errors: FormErrors; typed: TypedCircumstanceForm } {
  const problems = new FormProblems()
  const startsOn = readDateInput(body, 'startsOn', 'the first day')
  const endsOn = readDateInput(body, 'endsOn', 'the last day')
  const typed: TypedCircumstanceForm = {
    startsOn: startsOn.typed,
    endsOn: endsOn.typed,
    provider: text(body, 'provider', 2_000),
    hoursPerWeek: text(body, 'hoursPerWeek', 20),
    reason: text(body, 'reason', 5_000),
  }
  // A blank date is the rule's to judge (the last day is optional); a half-typed one the input's.
  const dateProblem = (result: typeof startsOn, field: 'startsOn' | 'endsOn') =>
    !result.ok && !blank(result.typed)
      ? problems.add(field, result.error, `${field}-${result.part}`)
      : undefined
  dateProblem(startsOn, 'startsOn')
  dateProblem(endsOn, 'endsOn')
  const checked = checkCircumstance(
    kind,
    {
      startsOn: startsOn.ok ? startsOn.value : blank(startsOn.typed) ? '' : 'invalid',
      endsOn: endsOn.ok ? endsOn.value : blank(endsOn.typed) ? '' : 'invalid',
      provider: typed.provider,
      hoursPerWeek: typed.hoursPerWeek,
      reason: typed.reason,
    },
    context,
  )
  if (!checked.ok)
    for (const problem of checked.problems)
      if (!problems.errors.fields[problem.field])
        problems.add(problem.field, circumstanceMessage(problem), HREFS[problem.field])
  if (problems.any || !checked.ok) return { ok: false, errors: problems.errors, typed }
  return { ok: true, value: checked.value, typed }
}

export function readEndForm(
  period: { kind: CircumstanceKind; startsOn: CalendarDate },
  body: Record<string, unknown> | undefined,
  today: CalendarDate,
):
  | { ok: true; value: CalendarDate; typed: { endsOn: DateInputValues } }
  | { ok: false; errors: FormErrors; typed: { endsOn: DateInputValues } } {
  const problems = new FormProblems()
  const endsOn = readDateInput(body, 'endsOn', 'the last day')
  const typed = { endsOn: endsOn.typed }
  if (!endsOn.ok) {
    problems.add('endsOn', endsOn.error, `endsOn-${endsOn.part}`)
    return { ok: false, errors: problems.errors, typed }
  }
  const code = checkEndsOn(period.kind, period.startsOn, endsOn.value, today)
  if (code) {
    problems.add('endsOn', circumstanceMessage({ field: 'endsOn', code }), 'endsOn-day')
    return { ok: false, errors: problems.errors, typed }
  }
  return { ok: true, value: endsOn.value, typed }
}

/** A change the service refused (it overlaps, it is out of order, ...), on the date it is about. */
export function refusalErrors(field: 'startsOn-day' | 'endsOn-day', code: string): FormErrors {
  const words = Object.hasOwn(CIRCUMSTANCE_REFUSALS, code)
    ? CIRCUMSTANCE_REFUSALS[code as keyof typeof CIRCUMSTANCE_REFUSALS]
    : circumstanceMessage({ field: 'endsOn', code: code as never })
  return formError(field, words)
}
