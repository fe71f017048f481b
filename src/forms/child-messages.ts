import type { ChildField, FieldProblem } from '../domain/child-validation.ts'

/*
 * The words for the rules of a child's core data (ADR 7: rules answer with codes, words are
 * written once where they are shown): the add and edit forms and the children import report say
 * these.
 */

/** How a field is named inside a sentence ("the child's first name", "the case reference"). */
const NAMED: Partial<Record<ChildField, string>> = {
  firstName: 'first name',
  lastName: 'last name',
  preferredName: 'preferred name',
  caseReference: 'case reference',
  legalStatus: 'legal status',
  placement: 'placement',
}

const MISSING: Partial<Record<ChildField, string>> = {
  firstName: "Enter the child's first name",
  lastName: "Enter the child's last name",
  gender: "Select the child's gender",
  caseReference: 'Enter the case reference',
  emergencyPlacement: 'Select yes if this is an emergency placement',
}

const NOT_ALLOWED: Partial<Record<ChildField, string>> = {
  gender: 'Gender must be female, male or non_binary',
  emergencyPlacement: 'Emergency placement must be yes or no',
  senStatus: 'SEN status must be none, sen_support or ehc_plan',
  yearGroupOverride: 'Year group must be one of N, R, Y1 to Y13, or left empty',
}

const DATE_NAMED: Partial<Record<ChildField, string>> = {
  dateOfBirth: 'Date of birth',
  enteredCareOn: 'Date entered care',
}

/** The sentence for one problem with a child's core data. */
export function childProblemText({ field, code, params = {} }: FieldProblem): string {
  switch (code) {
    case 'child.missing':
      return MISSING[field] ?? `Enter the ${NAMED[field] ?? field}`
    case 'child.too-long':
      return `The ${NAMED[field] ?? field} must be ${params['max']} characters or fewer`
    case 'child.taken':
      return field === 'upn'
        ? `UPN ${params['value']} is already used by another child`
        : `Case reference ${params['value']} is already used by another child`
    case 'child.not-allowed':
      return NOT_ALLOWED[field] ?? `Check the ${NAMED[field] ?? field}`
    case 'child.unreadable':
    case 'child.not-found':
      return String(params['text'] ?? '')
    case 'child.in-future':
      return `${DATE_NAMED[field]} must be today or in the past`
    case 'child.too-far-ahead':
      return `${DATE_NAMED[field]} must be no more than ${params['days']} days from today (a planned entry into care)`
    case 'child.too-old':
      return `${DATE_NAMED[field]} must be within the last ${params['years']} years`
    case 'child.before-birth':
      return `${DATE_NAMED[field]} must be on or after the date of birth`
    case 'child.upn-format':
      return 'UPN must be 13 characters: a letter, then 11 digits, then a digit or letter, like A123456789012'
    case 'child.upn-check-letter':
      return 'UPN is not valid: check the first letter and every digit'
    case 'child.uln-format':
      return 'ULN must be 10 digits, like 1234567890'
  }
}
