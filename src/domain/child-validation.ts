import {
  daysBetween,
  parseCalendarDate,
  toCalendarDate,
  type CalendarDate,
} from './calendar-date.ts'
import { normaliseUpn, upnProblem } from './upn.ts'
import { isYearGroup, type YearGroup } from './year-group.ts'

/*
 * The rules for a child's core data, shared by the add and edit forms and the CSV import.
 * Pure: whatever needs the database (which schools, social workers and case references exist)
 * comes in as functions and sets.
 */

export const GENDERS = { female: 'Female', male: 'Male', non_binary: 'Non-binary' } as const
export type Gender = keyof typeof GENDERS
export const SEN_STATUS_NAMES = {
  none: 'None',
  sen_support: 'SEN support',
  ehc_plan: 'EHC plan',
} as const
export type SenStatusCode = keyof typeof SEN_STATUS_NAMES

export const NAME_MAX = 100
export const TEXT_MAX = 200
export const CASE_REFERENCE_MAX = 50

/** A date read from a form's three boxes or a CSV cell. */
export type DateValue = { ok: true; value: CalendarDate } | { ok: false; error: string }

/** A child's core data as typed: every value a string, except the dates, already read. */
export interface RawChild {
  firstName: string
  lastName: string
  preferredName: string
  dateOfBirth: DateValue
  gender: string
  upn: string
  uln: string
  caseReference: string
  enteredCareOn: DateValue
  emergencyPlacement: string
  legalStatus: string
  placement: string
  school: string
  senStatus: string
  yearGroupOverride: string
  recordOwner: string
}

export type ChildField = keyof RawChild

export interface ChildFields {
  firstName: string
  lastName: string
  preferredName: string | null
  dateOfBirth: CalendarDate
  gender: Gender
  upn: string | null
  uln: string | null
  caseReference: string
  enteredCareOn: CalendarDate
  emergencyPlacement: boolean
  legalStatus: string | null
  placement: string | null
  schoolId: string | null
  senStatus: SenStatusCode
  yearGroupOverride: YearGroup | null
  recordOwnerId: string | null
}

export type Lookup = { id: string } | { error: string }

export interface ChildRules {
  today: CalendarDate
  /** The school named by the form's select or the file's URN, among the authority's open schools. */
  resolveSchool(value: string): Lookup
  /** The record owner named by the form's select or the file's email: a social worker of the authority. */
  resolveOwner(value: string): Lookup
  /** True when another child of the authority already has this case reference. */
  caseReferenceTaken(reference: string): boolean
  /**
   * True when another child, in any authority, already has this UPN (normalised): a UPN
   * identifies one pupil. Absent, no UPN is taken.
   */
  upnTaken?(upn: string): boolean
  /** On an edit, the UPN already stored: kept as it is even if it predates the check. */
  storedUpn?: string | null
}

export interface FieldProblem {
  field: ChildField
  message: string
}

export type ChildValidation =
  { ok: true; value: ChildFields } | { ok: false; problems: FieldProblem[] }

/** Validates a child's core data, field by field in the form's order; every problem is reported. */
export function validateChild(raw: RawChild, rules: ChildRules): ChildValidation {
  const problems: FieldProblem[] = []
  const fail = (field: ChildField, message: string) => problems.push({ field, message })

  const name = (field: ChildField, value: string, words: string, required: boolean) => {
    if (!value) {
      if (required) fail(field, `Enter the child's ${words}`)
      return null
    }
    if ([...value].length > NAME_MAX)
      fail(field, `The ${words} must be ${NAME_MAX} characters or fewer`)
    return value
  }
  const firstName = name('firstName', raw.firstName, 'first name', true)
  const lastName = name('lastName', raw.lastName, 'last name', true)
  const preferredName = name('preferredName', raw.preferredName, 'preferred name', false)

  let dateOfBirth: CalendarDate | undefined
  if (!raw.dateOfBirth.ok) fail('dateOfBirth', raw.dateOfBirth.error)
  else if (daysBetween(rules.today, raw.dateOfBirth.value) > 0)
    fail('dateOfBirth', 'Date of birth must be today or in the past')
  else if (daysBetween(raw.dateOfBirth.value, rules.today) > 25 * 366)
    fail('dateOfBirth', 'Date of birth must be within the last 25 years')
  else dateOfBirth = raw.dateOfBirth.value

  const gender = raw.gender in GENDERS ? (raw.gender as Gender) : undefined
  if (!raw.gender) fail('gender', "Select the child's gender")
  else if (!gender) fail('gender', 'Gender must be female, male or non_binary')

  let upn: string | null = null
  if (raw.upn) {
    upn = normaliseUpn(raw.upn)
    const problem = upn === rules.storedUpn ? undefined : upnProblem(upn)
    if (problem === 'format')
      fail(
        'upn',
        'UPN must be 13 characters: a letter, then 11 digits, then a digit or letter, like A123456789012',
      )
    else if (problem === 'check-letter')
      fail('upn', 'UPN is not valid: check the first letter and every digit')
    else if (upn !== rules.storedUpn && rules.upnTaken?.(upn))
      fail('upn', `UPN ${upn} is already used by another child`)
  }

  let uln: string | null = null
  if (raw.uln) {
    uln = raw.uln.replace(/\s+/g, '')
    if (!/^\d{10}$/.test(uln)) fail('uln', 'ULN must be 10 digits, like 1234567890')
  }

  const caseReference = raw.caseReference
  if (!caseReference) fail('caseReference', 'Enter the case reference')
  else if ([...caseReference].length > CASE_REFERENCE_MAX)
    fail('caseReference', `The case reference must be ${CASE_REFERENCE_MAX} characters or fewer`)
  else if (rules.caseReferenceTaken(caseReference))
    fail('caseReference', `Case reference ${caseReference} is already used by another child`)

  let enteredCareOn: CalendarDate | undefined
  if (!raw.enteredCareOn.ok) fail('enteredCareOn', raw.enteredCareOn.error)
  else if (daysBetween(rules.today, raw.enteredCareOn.value) > 0)
    fail('enteredCareOn', 'Date entered care must be today or in the past')
  else if (dateOfBirth && daysBetween(dateOfBirth, raw.enteredCareOn.value) < 0)
    fail('enteredCareOn', 'Date entered care must be on or after the date of birth')
  else enteredCareOn = raw.enteredCareOn.value

  const emergency = raw.emergencyPlacement.toLowerCase()
  if (!emergency) fail('emergencyPlacement', 'Select yes if this is an emergency placement')
  else if (emergency !== 'yes' && emergency !== 'no')
    fail('emergencyPlacement', 'Emergency placement must be yes or no')

  const text = (field: ChildField, value: string, words: string) => {
    if (!value) return null
    if ([...value].length > TEXT_MAX)
      fail(field, `The ${words} must be ${TEXT_MAX} characters or fewer`)
    return value
  }
  const legalStatus = text('legalStatus', raw.legalStatus, 'legal status')
  const placement = text('placement', raw.placement, 'placement')

  let schoolId: string | null = null
  if (raw.school) {
    const school = rules.resolveSchool(raw.school)
    if ('error' in school) fail('school', school.error)
    else schoolId = school.id
  }

  const sen = raw.senStatus || 'none'
  const senStatus = sen in SEN_STATUS_NAMES ? (sen as SenStatusCode) : undefined
  if (!senStatus) fail('senStatus', 'SEN status must be none, sen_support or ehc_plan')

  let yearGroupOverride: YearGroup | null = null
  if (raw.yearGroupOverride) {
    const code = raw.yearGroupOverride.toUpperCase()
    if (isYearGroup(code)) yearGroupOverride = code
    else fail('yearGroupOverride', 'Year group must be one of N, R, Y1 to Y13, or left empty')
  }

  let recordOwnerId: string | null = null
  if (raw.recordOwner) {
    const owner = rules.resolveOwner(raw.recordOwner)
    if ('error' in owner) fail('recordOwner', owner.error)
    else recordOwnerId = owner.id
  }

  if (problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    value: {
      firstName: firstName!,
      lastName: lastName!,
      preferredName,
      dateOfBirth: dateOfBirth!,
      gender: gender!,
      upn,
      uln,
      caseReference,
      enteredCareOn: enteredCareOn!,
      emergencyPlacement: emergency === 'yes',
      legalStatus,
      placement,
      schoolId,
      senStatus: senStatus!,
      yearGroupOverride,
      recordOwnerId,
    },
  }
}

/**
 * A date in a CSV cell: 2014-02-28 or 28/02/2014 (day first, as in England). `label` names the
 * date in the message, e.g. "Date of birth".
 */
export function parseCsvDate(value: string, label: string): DateValue {
  if (!value) return { ok: false, error: `Enter the ${label.toLowerCase()}` }
  let parts: { year: number; month: number; day: number } | undefined
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value)
  if (match) parts = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }
  match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value)
  if (match) parts = { year: Number(match[3]), month: Number(match[2]), day: Number(match[1]) }
  if (!parts) return { ok: false, error: `${label} must be a date like 2014-02-28 or 28/02/2014` }
  const date = toCalendarDate(parts)
  if (!parseCalendarDate(date)) return { ok: false, error: `${label} must be a real date` }
  return { ok: true, value: date }
}

export { findDuplicates } from './import-rows.ts'
