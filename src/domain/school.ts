import type { CsvRow } from './csv.ts'
import { findDuplicates } from './child-validation.ts'

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

export interface SchoolRowProblem {
  line: number
  column: string
  message: string
}

/** Every row of a schools file checked; either all are good or every problem is listed. */
export function checkSchoolRows(
  header: string[],
  rows: CsvRow[],
  existingUrns: ReadonlySet<string>,
):
  | { ok: true; schools: SchoolFields[] }
  | { ok: false; problems: SchoolRowProblem[]; rowCount: number } {
  const problems: SchoolRowProblem[] = []
  for (const column of header)
    if (!(SCHOOL_CSV_COLUMNS as readonly string[]).includes(column))
      problems.push({ line: 1, column, message: `Unknown column "${column}"` })
  for (const column of SCHOOL_CSV_COLUMNS)
    if (!header.includes(column))
      problems.push({ line: 1, column, message: `The file has no ${column} column` })
  if (rows.length === 0)
    problems.push({ line: 2, column: '', message: 'The file has no schools in it' })
  if (problems.length > 0) return { ok: false, problems, rowCount: rows.length }
  const index = new Map(header.map((c, i) => [c, i]))
  const cell = (row: CsvRow, column: string) => row.cells[index.get(column)!] ?? ''
  const duplicates = findDuplicates(
    rows.map((r) => ({ line: r.line, key: cell(r, 'urn') })).filter((r) => r.key !== ''),
  )
  const schools: SchoolFields[] = []
  for (const row of rows) {
    const result = validateSchool(
      {
        name: cell(row, 'name'),
        urn: cell(row, 'urn'),
        dfeNumber: cell(row, 'dfe_number'),
        type: cell(row, 'type').toLowerCase(),
        phase: cell(row, 'phase').toLowerCase(),
        open: cell(row, 'open'),
      },
      (urn) => existingUrns.has(urn),
    )
    const rowProblems = result.ok ? [] : result.problems
    const duplicate = duplicates.get(row.line)
    if (duplicate && !rowProblems.some((p) => p.field === 'urn'))
      rowProblems.push({
        field: 'urn',
        message: `URN ${duplicate.key} is also on line ${duplicate.firstLine}`,
      })
    for (const p of rowProblems)
      problems.push({ line: row.line, column: COLUMN_OF[p.field], message: p.message })
    if (result.ok && rowProblems.length === 0) schools.push(result.value)
  }
  if (problems.length > 0) return { ok: false, problems, rowCount: rows.length }
  return { ok: true, schools }
}
