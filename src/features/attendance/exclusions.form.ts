import type { CalendarDate } from '../../domain/calendar-date.ts'
import {
  checkExclusion,
  EXCLUSION_REASONS,
  isExclusionStatus,
  type Exclusion,
  type ExclusionStatus,
  type ExclusionField,
  type ExclusionProblem,
} from '../../domain/exclusion.ts'
import { readDateInput, type DateInputValues } from '../../forms/date-input.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'

/* The exclusion form: its fields, read and checked by the domain's rule, and its words. */

export interface TypedExclusionForm {
  kind: string
  startsOn: DateInputValues
  endsOn: DateInputValues
  sessionsMissed: string
  reason: string
  provision: string
  /** Correcting only: whether it still stands, and the version the form was opened on. */
  status: string
  version: string
}

export const EMPTY_EXCLUSION: TypedExclusionForm = {
  kind: '',
  startsOn: { day: '', month: '', year: '' },
  endsOn: { day: '', month: '', year: '' },
  sessionsMissed: '',
  reason: '',
  provision: '',
  status: 'in-force',
  version: '',
}

const dateParts = (date: string | null): DateInputValues => {
  if (!date) return { day: '', month: '', year: '' }
  const [year, month, day] = date.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year: year! }
}

/** The correction form, filled in with the exclusion as it stands. */
export const typedFromExclusion = (
  e: Exclusion & { status: ExclusionStatus; version: number },
): TypedExclusionForm => ({
  kind: e.kind,
  startsOn: dateParts(e.startsOn),
  endsOn: dateParts(e.endsOn),
  sessionsMissed: e.sessionsMissed === null ? '' : String(e.sessionsMissed),
  reason: e.reason,
  provision: e.provision,
  status: e.status,
  version: String(e.version),
})

const text = (body: Record<string, unknown> | undefined, name: string, max: number) => {
  const value = body?.[name]
  return typeof value === 'string' ? value.slice(0, max) : ''
}

const blank = (d: DateInputValues) => !d.day && !d.month && !d.year

export function readExclusionForm(
  body: Record<string, unknown> | undefined,
  today: CalendarDate,
  options: { correcting?: boolean } = {},
):
  | {
      ok: true
      value: Exclusion
      status: ExclusionStatus
      version: number
      typed: TypedExclusionForm
    }
  | { ok: false; errors: FormErrors; typed: TypedExclusionForm } {
  const problems = new FormProblems()
  const startsOn = readDateInput(body, 'startsOn', FIELD_NAMES.startsOn)
  const endsOn = readDateInput(body, 'endsOn', FIELD_NAMES.endsOn)
  const typed: TypedExclusionForm = {
    kind: text(body, 'kind', 20),
    startsOn: startsOn.typed,
    endsOn: endsOn.typed,
    sessionsMissed: text(body, 'sessionsMissed', 20),
    reason: text(body, 'reason', 60),
    provision: text(body, 'provision', 10_000),
    status: options.correcting ? text(body, 'status', 20) : 'in-force',
    version: options.correcting ? text(body, 'version', 12) : '',
  }
  const status: ExclusionStatus = isExclusionStatus(typed.status) ? typed.status : 'in-force'
  if (options.correcting && !isExclusionStatus(typed.status))
    problems.add('status', 'Select whether the exclusion still stands', 'status')
  // A blank date is the rule's to judge (a permanent exclusion has no last day); a half-typed
  // one is the date input's.
  const dateProblem = (result: typeof startsOn, field: 'startsOn' | 'endsOn') =>
    !result.ok && !blank(result.typed)
      ? problems.add(field, result.error, `${field}-${result.part}`)
      : undefined
  dateProblem(startsOn, 'startsOn')
  dateProblem(endsOn, 'endsOn')
  const checked = checkExclusion(
    {
      kind: typed.kind,
      startsOn: startsOn.ok ? startsOn.value : blank(startsOn.typed) ? '' : 'invalid',
      endsOn: endsOn.ok ? endsOn.value : blank(endsOn.typed) ? '' : 'invalid',
      sessionsMissed: typed.sessionsMissed,
      reason: typed.reason,
      provision: typed.provision,
    },
    today,
    status,
  )
  if (!checked.ok)
    for (const problem of checked.problems) {
      const date = problem.field === 'startsOn' || problem.field === 'endsOn'
      const href = date ? `${problem.field}-day` : problem.field === 'kind' ? 'kind' : problem.field
      problems.add(problem.field, exclusionMessage(problem), href)
    }
  if (problems.any || !checked.ok) return { ok: false, errors: problems.errors, typed }
  const version = /^\d{1,9}$/.test(typed.version) ? Number(typed.version) : 0
  return { ok: true, value: checked.value, status, version, typed }
}

const FIELD_NAMES: Record<ExclusionField, string> = {
  kind: 'whether it is a suspension or a permanent exclusion',
  startsOn: 'the first day of the exclusion',
  endsOn: 'the last day of the suspension',
  sessionsMissed: 'the sessions missed',
  reason: 'the reason',
  provision: 'the provision from the sixth day',
}

export function exclusionMessage(problem: ExclusionProblem): string {
  const name = FIELD_NAMES[problem.field]
  const capital = name.charAt(0).toUpperCase() + name.slice(1)
  const p = problem.params ?? {}
  switch (problem.code) {
    case 'exclusion.kind-missing':
      return 'Select whether it is a suspension or a permanent exclusion'
    case 'exclusion.date-missing':
      return `Enter ${name}`
    case 'exclusion.date-invalid':
      return `${capital} must be a real date`
    case 'exclusion.starts-in-future':
      return 'The first day of the exclusion must be today or in the past'
    case 'exclusion.ends-before-start':
      return 'The last day must be on or after the first day'
    case 'exclusion.sessions-missing':
      return `Enter ${name}`
    case 'exclusion.sessions-not-whole':
      return `${capital} must be a whole number, like 6`
    case 'exclusion.sessions-too-many':
      return `A pupil can be suspended for at most ${p['max']} sessions (45 school days) in a school year`
    case 'exclusion.reason-missing':
      return 'Select the reason'
    case 'exclusion.provision-missing':
      return 'Enter the provision from the sixth day: the child must have full-time education from then'
    case 'exclusion.provision-too-long':
      return `The provision must be ${p['max']} characters or fewer`
  }
}

export const reasonItems = (chosen: string) => [
  { value: '', text: 'Select a reason' },
  ...Object.entries(EXCLUSION_REASONS).map(([value, words]) => ({
    value,
    text: words,
    selected: value === chosen,
  })),
]

/** The choices of whether a corrected exclusion still stands. */
export const statusItems = (chosen: string) => [
  { value: 'in-force', text: 'Yes, it stands', checked: chosen === 'in-force' },
  {
    value: 'withdrawn',
    text: 'No, it was withdrawn or the pupil was reinstated',
    hint: { text: 'The Virtual School’s task about it closes: there is nothing to do' },
    checked: chosen === 'withdrawn',
  },
  {
    value: 'in-error',
    text: 'No, it was recorded in error',
    hint: { text: 'The Virtual School’s task about it closes' },
    checked: chosen === 'in-error',
  },
]

export const EXCLUSION_STATUS_WORDS: Record<ExclusionStatus, string> = {
  'in-force': 'Stands',
  withdrawn: 'Withdrawn or the pupil reinstated',
  'in-error': 'Recorded in error',
}

export const EXCLUSION_REFUSALS = {
  'exclusion.changed':
    'Someone corrected this exclusion after you opened the form. What you typed is below: check the exclusion as it now stands on the attendance page before saving again',
  'exclusion.not-found': 'This exclusion could not be found',
} as const
