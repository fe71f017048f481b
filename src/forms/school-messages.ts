import type { SchoolField, SchoolProblem } from '../domain/school.ts'

/*
 * The words for the school rules' codes (ADR 7: rules answer with codes, words are written once
 * where they are shown): the add and edit forms and the schools import report say these.
 */

const MISSING: Record<SchoolField, string> = {
  name: 'Enter the name of the school',
  urn: 'Enter the URN',
  dfeNumber: 'Enter the DfE establishment number',
  type: 'Select the type of school',
  phase: 'Select the phase',
  open: 'Select whether the school is open',
}

const NOT_ALLOWED: Record<SchoolField, (allowed: string) => string> = {
  name: () => 'Enter the name of the school',
  urn: () => 'URN must be 6 digits, like 123456',
  dfeNumber: () => 'DfE establishment number must be like 123/4567',
  type: (allowed) => `Type must be one of ${allowed}`,
  phase: (allowed) => `Phase must be one of ${allowed}`,
  open: () => 'Open must be yes or no',
}

/** The sentence for one problem with a school's details. */
export function schoolProblemText({ field, code, params = {} }: SchoolProblem): string {
  switch (code) {
    case 'school.missing':
      return MISSING[field]
    case 'school.too-long':
      return `The name must be ${params['max']} characters or fewer`
    case 'school.not-a-urn':
      return 'URN must be 6 digits, like 123456'
    case 'school.urn-taken':
      return `URN ${params['urn']} is already used by another school`
    case 'school.not-a-dfe-number':
      return 'DfE establishment number must be like 123/4567'
    case 'school.not-allowed':
      return NOT_ALLOWED[field](String(params['allowed'] ?? ''))
  }
}
