import type { CalendarDate } from '../../domain/calendar-date.ts'
import {
  checkAttendancePeriod,
  type AttendanceField,
  type AttendancePeriod,
  type AttendanceProblem,
} from '../../domain/attendance.ts'
import { readDateInput, type DateInputValues } from '../../forms/date-input.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import type { AttendanceRefusal } from './attendance.service.ts'

/*
 * The attendance form (on the record, and on the PEP's attendance page): two GOV.UK date inputs
 * and four numbers of sessions, checked by the domain's rule; its codes become words here.
 */

export interface TypedAttendanceForm {
  startsOn: DateInputValues
  endsOn: DateInputValues
  possible: string
  attended: string
  authorised: string
  unauthorised: string
}

const NUMBERS = ['possible', 'attended', 'authorised', 'unauthorised'] as const

const text = (body: Record<string, unknown> | undefined, name: string) => {
  const value = body?.[name]
  return typeof value === 'string' ? value.slice(0, 20) : ''
}

/** The form as a period, or its errors with what was typed. */
export function readAttendanceForm(
  body: Record<string, unknown> | undefined,
  today: CalendarDate,
):
  | { ok: true; value: AttendancePeriod; typed: TypedAttendanceForm }
  | { ok: false; errors: FormErrors; typed: TypedAttendanceForm } {
  const problems = new FormProblems()
  const startsOn = readDateInput(body, 'startsOn', FIELD_NAMES.startsOn)
  const endsOn = readDateInput(body, 'endsOn', FIELD_NAMES.endsOn)
  const typed: TypedAttendanceForm = {
    startsOn: startsOn.typed,
    endsOn: endsOn.typed,
    possible: text(body, 'possible'),
    attended: text(body, 'attended'),
    authorised: text(body, 'authorised'),
    unauthorised: text(body, 'unauthorised'),
  }
  if (!startsOn.ok) problems.add('startsOn', startsOn.error, `startsOn-${startsOn.part}`)
  if (!endsOn.ok) problems.add('endsOn', endsOn.error, `endsOn-${endsOn.part}`)
  const checked = checkAttendancePeriod(
    {
      // A date already refused above is given as valid-looking so only the sessions are checked again.
      startsOn: startsOn.ok ? startsOn.value : '1900-01-01',
      endsOn: endsOn.ok ? endsOn.value : startsOn.ok ? startsOn.value : '1900-01-01',
      ...Object.fromEntries(NUMBERS.map((n) => [n, typed[n]])),
    } as Parameters<typeof checkAttendancePeriod>[0],
    today,
  )
  if (!checked.ok)
    for (const problem of checked.problems) {
      const dateField = problem.field === 'startsOn' || problem.field === 'endsOn'
      if (dateField && (!startsOn.ok || !endsOn.ok)) continue
      problems.add(
        problem.field,
        attendanceMessage(problem),
        dateField ? `${problem.field}-day` : problem.field,
      )
    }
  if (problems.any || !checked.ok) return { ok: false, errors: problems.errors, typed }
  return { ok: true, value: checked.value, typed }
}

/** The form filled with a period's figures, to correct it. */
export function typedFromPeriod(period: AttendancePeriod): TypedAttendanceForm {
  const date = (d: string) => {
    const [year, month, day] = d.split('-')
    return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' }
  }
  return {
    startsOn: date(period.startsOn),
    endsOn: date(period.endsOn),
    possible: String(period.possible),
    attended: String(period.attended),
    authorised: String(period.authorised),
    unauthorised: String(period.unauthorised),
  }
}

export const EMPTY_FORM: TypedAttendanceForm = {
  startsOn: { day: '', month: '', year: '' },
  endsOn: { day: '', month: '', year: '' },
  possible: '',
  attended: '',
  authorised: '',
  unauthorised: '',
}

/** Why a save was refused, in words. */
export const REFUSALS: Record<AttendanceRefusal, string> = {
  'attendance.period-exists':
    'There are figures for this period from this school already: correct them instead of adding them again',
  'attendance.changed':
    'Someone corrected these figures after you opened the form: check the figures below and correct them again if they need it',
  'attendance.not-found': 'These figures are not on the record',
}

export const FIELD_NAMES: Record<AttendanceField, string> = {
  startsOn: 'the start of the period',
  endsOn: 'the end of the period',
  possible: 'the sessions possible',
  attended: 'the sessions attended',
  authorised: 'the sessions of authorised absence',
  unauthorised: 'the sessions of unauthorised absence',
}

/** The words for each code of the domain's rule, naming the field (also used by the import). */
export function attendanceMessage(problem: AttendanceProblem): string {
  const name = FIELD_NAMES[problem.field]
  const p = problem.params ?? {}
  switch (problem.code) {
    case 'attendance.date-missing':
      return `Enter ${name}`
    case 'attendance.date-invalid':
      return `${capitalise(name)} must be a real date`
    case 'attendance.ends-before-start':
      return 'The end of the period must be on or after its start'
    case 'attendance.ends-in-future':
      return 'The end of the period must be today or in the past'
    case 'attendance.period-too-long':
      return `A period must be at most ${p['days']} days long: give each school year on its own`
    case 'attendance.sessions-missing':
      return `Enter ${name}`
    case 'attendance.sessions-not-whole':
      return `${capitalise(name)} must be a whole number, like 120`
    case 'attendance.sessions-too-many':
      return `${capitalise(name)} must be ${p['max']} or fewer`
    case 'attendance.attended-over-possible':
      return `Sessions attended (${p['attended']}) cannot be more than the sessions possible (${p['possible']})`
    case 'attendance.sessions-do-not-add-up':
      return `Sessions attended and absences add up to ${p['total']}, not the ${p['possible']} sessions possible`
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)
