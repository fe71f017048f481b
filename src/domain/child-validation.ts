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

/**
 * What is wrong with one field, as a code and its parameters (ADR 7): `src/forms/child-messages.ts`
 * has the words. A date the reader could not read, and a school or record owner the caller could
 * not find, come with the reader's or caller's own words (`text`).
 */
/** How far ahead a planned entry into care may be recorded, in days. */
export const PLANNED_ENTRY_MAX_DAYS = 90

export type ChildCode =
  | 'child.missing'
  | 'child.too-long'
  | 'child.taken'
  | 'child.not-allowed'
  | 'child.unreadable'
  | 'child.not-found'
  | 'child.in-future'
  /** A planned entry into care further ahead than PLANNED_ENTRY_MAX_DAYS. */
  | 'child.too-far-ahead'
  | 'child.too-old'
  | 'child.before-birth'
  | 'child.upn-format'
  | 'child.upn-check-letter'
  | 'child.uln-format'

export interface FieldProblem {
  field: ChildField
  code: ChildCode
  params?: Readonly<Record<string, string | number>>
}

export type ChildValidation =
  { ok: true; value: ChildFields } | { ok: false; problems: FieldProblem[] }

/** Validates a child's core data, field by field in the form's order; every problem is reported. */
export function validateChild(raw: RawChild, rules: ChildRules): ChildValidation {
  const problems: FieldProblem[] = []
  const fail = (field: ChildField, code: ChildCode, params?: FieldProblem['params']) =>
    problems.push(params ? { field, code, params } : { field, code })

  const name = (field: ChildField, value: string, required: boolean) => {
    if (!value) {
      if (required) fail(field, 'child.missing')
      return null
    }
    if ([...value].length > NAME_MAX) fail(field, 'child.too-long', { max: NAME_MAX })
    return value
  }
  const firstName = name('firstName', raw.firstName, true)
  const lastName = name('lastName', raw.lastName, true)
  const preferredName = name('preferredName', raw.preferredName, false)

  let dateOfBirth: CalendarDate | undefined
  if (!raw.dateOfBirth.ok) fail('dateOfBirth', 'child.unreadable', { text: raw.dateOfBirth.error })
  else if (daysBetween(rules.today, raw.dateOfBirth.value) > 0)
    fail('dateOfBirth', 'child.in-future')
  else if (daysBetween(raw.dateOfBirth.value, rules.today) > 25 * 366)
    fail('dateOfBirth', 'child.too-old', { years: 25 })
  else dateOfBirth = raw.dateOfBirth.value

  const gender = raw.gender in GENDERS ? (raw.gender as Gender) : undefined
  if (!raw.gender) fail('gender', 'child.missing')
  else if (!gender) fail('gender', 'child.not-allowed')

  let upn: string | null = null
  if (raw.upn) {
    upn = normaliseUpn(raw.upn)
    const problem = upn === rules.storedUpn ? undefined : upnProblem(upn)
    if (problem === 'format') fail('upn', 'child.upn-format')
    else if (problem === 'check-letter') fail('upn', 'child.upn-check-letter')
    else if (upn !== rules.storedUpn && rules.upnTaken?.(upn))
      fail('upn', 'child.taken', { value: upn })
  }

  let uln: string | null = null
  if (raw.uln) {
    uln = raw.uln.replace(/\s+/g, '')
    if (!/^\d{10}$/.test(uln)) fail('uln', 'child.uln-format')
  }

  const caseReference = raw.caseReference
  if (!caseReference) fail('caseReference', 'child.missing')
  else if ([...caseReference].length > CASE_REFERENCE_MAX)
    fail('caseReference', 'child.too-long', { max: CASE_REFERENCE_MAX })
  else if (rules.caseReferenceTaken(caseReference))
    fail('caseReference', 'child.taken', { value: caseReference })

  let enteredCareOn: CalendarDate | undefined
  if (!raw.enteredCareOn.ok)
    fail('enteredCareOn', 'child.unreadable', { text: raw.enteredCareOn.error })
  else if (daysBetween(rules.today, raw.enteredCareOn.value) > PLANNED_ENTRY_MAX_DAYS)
    // A planned entry into care is recorded ahead of the day (issue 19): its clock starts then.
    fail('enteredCareOn', 'child.too-far-ahead', { days: PLANNED_ENTRY_MAX_DAYS })
  else if (dateOfBirth && daysBetween(dateOfBirth, raw.enteredCareOn.value) < 0)
    fail('enteredCareOn', 'child.before-birth')
  else enteredCareOn = raw.enteredCareOn.value

  const emergency = raw.emergencyPlacement.toLowerCase()
  if (!emergency) fail('emergencyPlacement', 'child.missing')
  else if (emergency !== 'yes' && emergency !== 'no')
    fail('emergencyPlacement', 'child.not-allowed')

  const text = (field: ChildField, value: string) => {
    if (!value) return null
    if ([...value].length > TEXT_MAX) fail(field, 'child.too-long', { max: TEXT_MAX })
    return value
  }
  const legalStatus = text('legalStatus', raw.legalStatus)
  const placement = text('placement', raw.placement)

  let schoolId: string | null = null
  if (raw.school) {
    const school = rules.resolveSchool(raw.school)
    if ('error' in school) fail('school', 'child.not-found', { text: school.error })
    else schoolId = school.id
  }

  const sen = raw.senStatus || 'none'
  const senStatus = sen in SEN_STATUS_NAMES ? (sen as SenStatusCode) : undefined
  if (!senStatus) fail('senStatus', 'child.not-allowed')

  let yearGroupOverride: YearGroup | null = null
  if (raw.yearGroupOverride) {
    const code = raw.yearGroupOverride.toUpperCase()
    if (isYearGroup(code)) yearGroupOverride = code
    else fail('yearGroupOverride', 'child.not-allowed')
  }

  let recordOwnerId: string | null = null
  if (raw.recordOwner) {
    const owner = rules.resolveOwner(raw.recordOwner)
    if ('error' in owner) fail('recordOwner', 'child.not-found', { text: owner.error })
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
