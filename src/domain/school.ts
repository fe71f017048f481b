import type { CsvRow } from './csv.ts'
import { byColumn, checkImportRows, type ImportProblem, type ImportSpec } from './import-rows.ts'

/* Schools and settings: the rules for their details and for a CSV file of them. */

export const SCHOOL_TYPES = {
  maintained: 'Maintained',
  academy: 'Academy',
  special: 'Special',
  nursery: 'Nursery',
  further_education: 'Further education',
  independent: 'Independent',
  alternative_provision: 'Alternative provision',
} as const
export type SchoolType = keyof typeof SCHOOL_TYPES

export const SCHOOL_PHASES = {
  nursery: 'Nursery',
  primary: 'Primary',
  secondary: 'Secondary',
  'all-through': 'All-through',
  '16 plus': '16 plus',
  'not applicable': 'Not applicable',
} as const
export type SchoolPhase = keyof typeof SCHOOL_PHASES

export const SCHOOL_NAME_MAX = 200

export interface RawSchool {
  name: string
  urn: string
  dfeNumber: string
  type: string
  phase: string
  open: string
}

export type SchoolField = keyof RawSchool

export interface SchoolFields {
  name: string
  urn: string
  dfeNumber: string
  type: SchoolType
  phase: SchoolPhase
  open: boolean
}

/**
 * What is wrong with one field, as a code and its parameters (ADR 7): `src/forms/school-messages.ts`
 * has the words.
 */
export type SchoolCode =
  | 'school.missing'
  | 'school.too-long'
  | 'school.not-a-urn'
  | 'school.urn-taken'
  | 'school.not-a-dfe-number'
  | 'school.not-allowed'

export interface SchoolProblem {
  field: SchoolField
  code: SchoolCode
  params?: Readonly<Record<string, string | number>>
}

export const isUrn = (value: string) => /^\d{6}$/.test(value)
export const isDfeNumber = (value: string) => /^\d{3}\/\d{4}$/.test(value)

/** Checks a school's details; `urnTaken` says whether another school already has the URN. */
export function validateSchool(
  raw: RawSchool,
  urnTaken: (urn: string) => boolean,
): { ok: true; value: SchoolFields } | { ok: false; problems: SchoolProblem[] } {
  const problems: SchoolProblem[] = []
  const fail = (field: SchoolField, code: SchoolCode, params?: SchoolProblem['params']) =>
    problems.push(params ? { field, code, params } : { field, code })
  if (!raw.name) fail('name', 'school.missing')
  else if ([...raw.name].length > SCHOOL_NAME_MAX)
    fail('name', 'school.too-long', { max: SCHOOL_NAME_MAX })
  if (!raw.urn) fail('urn', 'school.missing')
  else if (!isUrn(raw.urn)) fail('urn', 'school.not-a-urn')
  else if (urnTaken(raw.urn)) fail('urn', 'school.urn-taken', { urn: raw.urn })
  if (!raw.dfeNumber) fail('dfeNumber', 'school.missing')
  else if (!isDfeNumber(raw.dfeNumber)) fail('dfeNumber', 'school.not-a-dfe-number')
  const type = raw.type in SCHOOL_TYPES ? (raw.type as SchoolType) : undefined
  if (!raw.type) fail('type', 'school.missing')
  else if (!type)
    fail('type', 'school.not-allowed', { allowed: Object.keys(SCHOOL_TYPES).join(', ') })
  const phase = raw.phase in SCHOOL_PHASES ? (raw.phase as SchoolPhase) : undefined
  if (!raw.phase) fail('phase', 'school.missing')
  else if (!phase)
    fail('phase', 'school.not-allowed', { allowed: Object.keys(SCHOOL_PHASES).join(', ') })
  const open = raw.open.toLowerCase()
  const isOpen = ['yes', 'true', 'open'].includes(open)
  if (!open) fail('open', 'school.missing')
  else if (!isOpen && !['no', 'false', 'closed'].includes(open)) fail('open', 'school.not-allowed')
  if (problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    value: {
      name: raw.name,
      urn: raw.urn,
      dfeNumber: raw.dfeNumber,
      type: type!,
      phase: phase!,
      open: isOpen,
    },
  }
}

export const SCHOOL_CSV_COLUMNS = ['name', 'urn', 'dfe_number', 'type', 'phase', 'open'] as const
const COLUMN_OF: Record<SchoolField, string> = {
  name: 'name',
  urn: 'urn',
  dfeNumber: 'dfe_number',
  type: 'type',
  phase: 'phase',
  open: 'open',
}

/** The words for a problem: `schoolProblemText` of `src/forms/school-messages.ts`. */
export type SchoolWords = (problem: SchoolProblem) => string

/** The schools file's place in the import pipeline: its columns and the check of a row. */
export function schoolImportSpec(
  existingUrns: ReadonlySet<string>,
  words: SchoolWords,
): ImportSpec<SchoolFields> {
  return {
    plural: 'schools',
    columns: SCHOOL_CSV_COLUMNS,
    required: SCHOOL_CSV_COLUMNS,
    distinct: [{ column: 'urn', label: 'URN' }],
    checkRow(cell) {
      const result = validateSchool(
        {
          name: cell('name'),
          urn: cell('urn'),
          dfeNumber: cell('dfe_number'),
          type: cell('type').toLowerCase(),
          phase: cell('phase').toLowerCase(),
          open: cell('open'),
        },
        (urn) => existingUrns.has(urn),
      )
      return byColumn(result, COLUMN_OF, words)
    },
  }
}

/** Every row of a schools file checked; either all are good or every problem is listed. */
export function checkSchoolRows(
  header: string[],
  rows: CsvRow[],
  existingUrns: ReadonlySet<string>,
  words: SchoolWords,
):
  | { ok: true; schools: SchoolFields[] }
  | { ok: false; problems: ImportProblem[]; rowCount: number } {
  const check = checkImportRows(schoolImportSpec(existingUrns, words), header, rows)
  return check.ok ? { ok: true, schools: check.rows.map((r) => r.value) } : check
}
