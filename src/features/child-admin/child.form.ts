import { childProblemText } from '../../forms/child-messages.ts'
import {
  GENDERS,
  SEN_STATUS_NAMES,
  type ChildField,
  type FieldProblem,
  type RawChild,
} from '../../domain/child-validation.ts'
import { YEAR_GROUPS, YEAR_GROUP_NAMES } from '../../domain/year-group.ts'
import { readDateInput, type DateInputValues } from '../../forms/date-input.ts'
import { formError, type FormErrors } from '../../forms/validation.ts'
import { UPN_UNIQUE_INDEX, uniqueViolation } from '../../shared/uniqueness.ts'
import type { Lookup } from '../../domain/child-validation.ts'
import { normaliseUpn } from '../../domain/upn.ts'
import { formatDate } from '../../views/format.ts'
import type { ChildCore, OwnerChoice, SchoolChoice } from './child-admin.repository.ts'

/* The add and edit forms: reading what was typed, and the view model that shows it back. */

type Body = Record<string, unknown> | undefined

/** Everything typed, as typed, to show back on an error or a conflict. */
export interface TypedChild {
  firstName: string
  lastName: string
  preferredName: string
  dateOfBirth: DateInputValues
  gender: string
  upn: string
  uln: string
  caseReference: string
  enteredCareOn: DateInputValues
  emergencyPlacement: string
  legalStatus: string
  placement: string
  school: string
  senStatus: string
  yearGroupOverride: string
  recordOwner: string
}

const TEXT_FIELDS = [
  'firstName',
  'lastName',
  'preferredName',
  'gender',
  'upn',
  'uln',
  'caseReference',
  'emergencyPlacement',
  'legalStatus',
  'placement',
  'school',
  'senStatus',
  'yearGroupOverride',
  'recordOwner',
] as const

const text = (body: Body, name: string) => {
  const value = body?.[name]
  return typeof value === 'string' ? value.trim().slice(0, 1000) : ''
}

export function readChildForm(body: Body): { raw: RawChild; typed: TypedChild } {
  const dateOfBirth = readDateInput(body, 'dateOfBirth', 'date of birth')
  const enteredCareOn = readDateInput(body, 'enteredCareOn', 'date entered care')
  const values = Object.fromEntries(TEXT_FIELDS.map((f) => [f, text(body, f)])) as Record<
    (typeof TEXT_FIELDS)[number],
    string
  >
  return {
    raw: {
      ...values,
      dateOfBirth: dateOfBirth.ok
        ? { ok: true, value: dateOfBirth.value }
        : { ok: false, error: dateOfBirth.error },
      enteredCareOn: enteredCareOn.ok
        ? { ok: true, value: enteredCareOn.value }
        : { ok: false, error: enteredCareOn.error },
    },
    typed: { ...values, dateOfBirth: dateOfBirth.typed, enteredCareOn: enteredCareOn.typed },
  }
}

const DATE_FIELDS = new Set<ChildField>(['dateOfBirth', 'enteredCareOn'])

/** The problems in the GOV.UK error summary's shape, linking to each field. */
export function toFormErrors(problems: FieldProblem[]): FormErrors {
  const errors: FormErrors = { list: [], fields: {} }
  for (const p of problems) {
    if (errors.fields[p.field]) continue
    const text = childProblemText(p)
    errors.fields[p.field] = { text }
    errors.list.push({
      text,
      href: `#${DATE_FIELDS.has(p.field) ? `${p.field}-day` : p.field}`,
    })
  }
  return errors
}

const dateParts = (date: string | null): DateInputValues => {
  if (!date) return { day: '', month: '', year: '' }
  const [year, month, day] = date.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' }
}

/** What the edit form shows first: the child as stored. */
export function typedFromStored(child: ChildCore): TypedChild {
  return {
    firstName: child.firstName,
    lastName: child.lastName,
    preferredName: child.preferredName ?? '',
    dateOfBirth: dateParts(child.dateOfBirth),
    gender: child.gender,
    upn: child.upn ?? '',
    uln: child.uln ?? '',
    caseReference: child.caseReference,
    enteredCareOn: dateParts(child.enteredCareOn),
    emergencyPlacement: child.emergencyPlacement ? 'yes' : 'no',
    legalStatus: child.legalStatus ?? '',
    placement: child.placement ?? '',
    school: child.schoolId ?? '',
    senStatus: child.senStatus,
    yearGroupOverride: child.yearGroupOverride ?? '',
    recordOwner: child.recordOwnerId ?? '',
  }
}

export function childFormModel(input: {
  typed: TypedChild
  errors?: FormErrors
  schools?: SchoolChoice[]
  owners?: OwnerChoice[]
}) {
  const { typed } = input
  const option = (value: string, text: string, current: string) => ({
    value,
    text,
    checked: value === current,
    selected: value === current,
  })
  return {
    values: typed,
    errors: input.errors,
    genderItems: Object.entries(GENDERS).map(([v, t]) => option(v, t, typed.gender)),
    emergencyItems: [
      option('yes', 'Yes', typed.emergencyPlacement),
      option('no', 'No', typed.emergencyPlacement),
    ],
    senItems: Object.entries(SEN_STATUS_NAMES).map(([v, t]) =>
      option(v, t, typed.senStatus || 'none'),
    ),
    yearItems: [
      option('', 'Not held out of year (from date of birth)', typed.yearGroupOverride),
      ...YEAR_GROUPS.map((y) => option(y, YEAR_GROUP_NAMES[y], typed.yearGroupOverride)),
    ],
    schoolItems: input.schools
      ? [
          option('', 'No school or setting yet', typed.school),
          ...input.schools.map((s) =>
            option(s.id, `${s.name}${s.urn ? ` (URN ${s.urn})` : ''}`, typed.school),
          ),
        ]
      : undefined,
    ownerItems: input.owners
      ? [
          option('', 'No record owner yet', typed.recordOwner),
          ...input.owners.map((o) => option(o.id, o.displayName, typed.recordOwner)),
        ]
      : undefined,
  }
}

const FIELD_LABELS: { key: keyof TypedChild; label: string }[] = [
  { key: 'firstName', label: 'First name' },
  { key: 'lastName', label: 'Last name' },
  { key: 'preferredName', label: 'Preferred name' },
  { key: 'dateOfBirth', label: 'Date of birth' },
  { key: 'gender', label: 'Gender' },
  { key: 'upn', label: 'UPN' },
  { key: 'uln', label: 'ULN' },
  { key: 'caseReference', label: 'Case reference' },
  { key: 'enteredCareOn', label: 'Date entered care' },
  { key: 'emergencyPlacement', label: 'Emergency placement' },
  { key: 'legalStatus', label: 'Legal status' },
  { key: 'senStatus', label: 'SEN status' },
  { key: 'yearGroupOverride', label: 'Year group held out of year' },
]

function shown(key: keyof TypedChild, typed: TypedChild): string {
  const value = typed[key]
  if (typeof value !== 'string') {
    const { day, month, year } = value
    if (!day && !month && !year) return 'Not given'
    const iso = `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
    return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? formatDate(iso) : `${day}/${month}/${year}`
  }
  if (!value) return 'Not given'
  if (key === 'gender') return (GENDERS as Record<string, string>)[value] ?? value
  if (key === 'senStatus') return (SEN_STATUS_NAMES as Record<string, string>)[value] ?? value
  if (key === 'emergencyPlacement') return value === 'yes' ? 'Yes' : value === 'no' ? 'No' : value
  if (key === 'yearGroupOverride')
    return (YEAR_GROUP_NAMES as Record<string, string>)[value] ?? value
  return value
}

/** The conflict page's table: each field as saved by the other person and as typed here. */
export function conflictRows(theirs: TypedChild, yours: TypedChild) {
  return FIELD_LABELS.map(({ key, label }) => {
    const a = shown(key, theirs)
    const b = shown(key, yours)
    return { label, theirs: a, yours: b, differs: a !== b }
  })
}

/** The typed values as hidden inputs, so "Save my version" posts them again. */
export function hiddenFields(typed: TypedChild): { name: string; value: string }[] {
  const fields: { name: string; value: string }[] = []
  for (const [key, value] of Object.entries(typed)) {
    if (typeof value === 'string') fields.push({ name: key, value })
    else
      for (const part of ['day', 'month', 'year'] as const)
        fields.push({ name: `${key}-${part}`, value: value[part] })
  }
  return fields
}

/** The words for a save that broke a uniqueness rule meanwhile: the UPN's, or the case reference's. */
export function takenMeanwhile(
  error: unknown,
  raw: { caseReference: string; upn: string },
): FormErrors {
  const index = uniqueViolation(error)
  if (index === undefined) throw error
  return index === UPN_UNIQUE_INDEX
    ? formError('upn', `UPN ${normaliseUpn(raw.upn)} is already used by another child`)
    : formError(
        'caseReference',
        `Case reference ${raw.caseReference} is already used by another child`,
      )
}

/** A school or record owner chosen from the form's list, or the words for one that is not on it. */
export function lookup(choices: { id: string }[], id: string, error: string): Lookup {
  return choices.some((c) => c.id === id) ? { id } : { error }
}

/** The record changed between reading it and saving it, and saving again did not settle it. */
export const tryAgainErrors = (): FormErrors => formError('form', 'Try again')
