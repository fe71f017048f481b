import { schoolProblemText } from '../../forms/school-messages.ts'
import {
  SCHOOL_PHASES,
  SCHOOL_TYPES,
  type RawSchool,
  type SchoolProblem,
} from '../../domain/school.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'

/* Reading the school form, and the model its page shows: no I/O here. */

export type Body = Record<string, unknown> | undefined
export const text = (body: Body, name: string) => {
  const value = body?.[name]
  return typeof value === 'string' ? value.trim().slice(0, 1000) : ''
}

export function readSchoolForm(body: Body): RawSchool {
  return {
    name: text(body, 'name'),
    urn: text(body, 'urn'),
    dfeNumber: text(body, 'dfeNumber'),
    type: text(body, 'type'),
    phase: text(body, 'phase'),
    open: text(body, 'open'),
  }
}

export function toErrors(problems: SchoolProblem[]): FormErrors {
  const errors = new FormProblems()
  for (const p of problems) errors.add(p.field, schoolProblemText(p))
  return errors.errors
}

export const option = (value: string, label: string, current: string) => ({
  value,
  text: label,
  checked: value === current,
  selected: value === current,
})

export const typeName = (type: string) => (SCHOOL_TYPES as Record<string, string>)[type] ?? type
export const phaseName = (phase: string) =>
  (SCHOOL_PHASES as Record<string, string>)[phase] ?? phase

export function schoolFormModel(values: RawSchool, errors?: FormErrors) {
  return {
    values,
    errors,
    typeItems: [
      option('', 'Select a type', values.type),
      ...Object.entries(SCHOOL_TYPES).map(([v, t]) => option(v, t, values.type)),
    ],
    phaseItems: [
      option('', 'Select a phase', values.phase),
      ...Object.entries(SCHOOL_PHASES).map(([v, t]) => option(v, t, values.phase)),
    ],
    openItems: [option('yes', 'Open', values.open), option('no', 'Closed', values.open)],
  }
}
