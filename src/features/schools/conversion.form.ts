import { daysBetween, type CalendarDate } from '../../domain/calendar-date.ts'
import { isDfeNumber, isUrn } from '../../domain/school.ts'
import { readDateInput, type DateInputValues } from '../../forms/date-input.ts'
import { FormProblems, formError, type FormErrors } from '../../forms/validation.ts'
import { formatDate } from '../../views/format.ts'
import type { SchoolRow } from './schools.repository.ts'
import { URN_TAKEN } from './schools.presenter.ts'
import { text, type Body } from './school.form.ts'

/* The academy conversion form: what was typed, kept, and each field's problem in words. */

export interface ConversionValues {
  name: string
  urn: string
  dfeNumber: string
  convertedOn: DateInputValues
}

export const emptyConversion = (school: SchoolRow): ConversionValues => ({
  name: school.name,
  urn: '',
  dfeNumber: '',
  convertedOn: { day: '', month: '', year: '' },
})

export type ConversionForm =
  | { ok: true; values: ConversionValues; convertedOn: CalendarDate }
  | { ok: false; values: ConversionValues; errors: FormErrors }

/** Reads the conversion of `school` on `today`; `urnTaken` says whether a URN is used already. */
export async function readConversionForm(
  body: Body,
  school: SchoolRow,
  today: CalendarDate,
  urnTaken: (urn: string) => Promise<boolean>,
): Promise<ConversionForm> {
  const date = readDateInput(body, 'convertedOn', 'the date of conversion')
  const values: ConversionValues = {
    name: text(body, 'name'),
    urn: text(body, 'urn'),
    dfeNumber: text(body, 'dfeNumber'),
    convertedOn: date.typed,
  }
  const problems = new FormProblems()
  if (!values.name) problems.add('name', 'Enter the name of the academy')
  else if ([...values.name].length > 200)
    problems.add('name', 'The name must be 200 characters or fewer')
  if (!values.urn) problems.add('urn', 'Enter the academy’s new URN')
  else if (!isUrn(values.urn)) problems.add('urn', 'URN must be 6 digits, like 123456')
  else if (await urnTaken(values.urn)) problems.add('urn', URN_TAKEN(values.urn))
  if (!values.dfeNumber) problems.add('dfeNumber', 'Enter the academy’s DfE establishment number')
  else if (!isDfeNumber(values.dfeNumber))
    problems.add('dfeNumber', 'DfE establishment number must be like 123/4567')
  if (!date.ok) problems.add('convertedOn', date.error, `convertedOn-${date.part}`)
  else if (daysBetween(today, date.value) > 0)
    problems.add(
      'convertedOn',
      'The date of conversion must be today or in the past',
      'convertedOn-day',
    )
  else if (school.openedOn && daysBetween(school.openedOn, date.value) < 0)
    problems.add(
      'convertedOn',
      `The date of conversion must be on or after the day the school opened, ${formatDate(school.openedOn)}`,
      'convertedOn-day',
    )
  if (!school.open) problems.add('name', `${school.name} is already closed`)
  if (problems.any || !date.ok) return { ok: false, values, errors: problems.errors }
  return { ok: true, values, convertedOn: date.value }
}

export const ALREADY_CONVERTED = (school: SchoolRow) =>
  `${school.name} has already been converted or closed`

export const CHANGED_MEANWHILE =
  'Someone else changed this school after you opened the form: check the details below (yours) against the school’s page, then save again'

/** The URN a school's form gives is another school's (found when saving, after the check). */
export const urnTakenErrors = (urn: string): FormErrors => formError('urn', URN_TAKEN(urn))

export const alreadyConvertedErrors = (school: SchoolRow): FormErrors =>
  formError('name', ALREADY_CONVERTED(school))

export const changedMeanwhileErrors = (): FormErrors => formError('name', CHANGED_MEANWHILE)
