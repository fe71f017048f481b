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

export interface SchoolProblem {
  field: SchoolField
  message: string
}

export const isUrn = (value: string) => /^\d{6}$/.test(value)
export const isDfeNumber = (value: string) => /^\d{3}\/\d{4}$/.test(value)

/** Checks a school's details; `urnTaken` says whether another school already has the URN. */
export function validateSchool(
  raw: RawSchool,
  urnTaken: (urn: string) => boolean,
): { ok: true; value: SchoolFields } | { ok: false; problems: SchoolProblem[] } {
  const problems: SchoolProblem[] = []
  const fail = (field: SchoolField, message: string) => problems.push({ field, message })
  if (!raw.name) fail('name', 'Enter the name of the school')
  else if ([...raw.name].length > SCHOOL_NAME_MAX)
    fail('name', `The name must be ${SCHOOL_NAME_MAX} characters or fewer`)
  if (!raw.urn) fail('urn', 'Enter the URN')
  else if (!isUrn(raw.urn)) fail('urn', 'URN must be 6 digits, like 123456')
  else if (urnTaken(raw.urn)) fail('urn', `URN ${raw.urn} is already used by another school`)
  if (!raw.dfeNumber) fail('dfeNumber', 'Enter the DfE establishment number')
  else if (!isDfeNumber(raw.dfeNumber))
    fail('dfeNumber', 'DfE establishment number must be like 123/4567')
  const type = raw.type in SCHOOL_TYPES ? (raw.type as SchoolType) : undefined
  if (!raw.type) fail('type', 'Select the type of school')
  else if (!type) fail('type', `Type must be one of ${Object.keys(SCHOOL_TYPES).join(', ')}`)
  const phase = raw.phase in SCHOOL_PHASES ? (raw.phase as SchoolPhase) : undefined
  if (!raw.phase) fail('phase', 'Select the phase')
  else if (!phase) fail('phase', `Phase must be one of ${Object.keys(SCHOOL_PHASES).join(', ')}`)
  const open = raw.open.toLowerCase()
  const isOpen = ['yes', 'true', 'open'].includes(open)
  if (!open) fail('open', 'Select whether the school is open')
  else if (!isOpen && !['no', 'false', 'closed'].includes(open))
    fail('open', 'Open must be yes or no')
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

/** The schools file's place in the import pipeline: its columns and the check of a row. */
export function schoolImportSpec(existingUrns: ReadonlySet<string>): ImportSpec<SchoolFields> {
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
      return byColumn(result, COLUMN_OF)
    },
  }
}

/** Every row of a schools file checked; either all are good or every problem is listed. */
export function checkSchoolRows(
  header: string[],
  rows: CsvRow[],
  existingUrns: ReadonlySet<string>,
):
  | { ok: true; schools: SchoolFields[] }
  | { ok: false; problems: ImportProblem[]; rowCount: number } {
  const check = checkImportRows(schoolImportSpec(existingUrns), header, rows)
  return check.ok ? { ok: true, schools: check.rows.map((r) => r.value) } : check
}
