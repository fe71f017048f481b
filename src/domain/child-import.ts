import type { CsvRow } from './csv.ts'
import {
  findDuplicates,
  parseCsvDate,
  validateChild,
  type ChildField,
  type ChildFields,
  type ChildRules,
} from './child-validation.ts'

/* The CSV file of children: its columns, and checking every row before any is saved. */

export const CHILD_CSV_COLUMNS = [
  'first_name',
  'last_name',
  'preferred_name',
  'date_of_birth',
  'gender',
  'upn',
  'uln',
  'case_reference',
  'entered_care_on',
  'emergency_placement',
  'legal_status',
  'placement',
  'school_urn',
  'sen_status',
  'year_group',
  'record_owner_email',
] as const
export type ChildCsvColumn = (typeof CHILD_CSV_COLUMNS)[number]

const REQUIRED_COLUMNS: readonly ChildCsvColumn[] = [
  'first_name',
  'last_name',
  'date_of_birth',
  'gender',
  'case_reference',
  'entered_care_on',
  'emergency_placement',
]

export const COLUMN_OF_FIELD: Record<ChildField, ChildCsvColumn> = {
  firstName: 'first_name',
  lastName: 'last_name',
  preferredName: 'preferred_name',
  dateOfBirth: 'date_of_birth',
  gender: 'gender',
  upn: 'upn',
  uln: 'uln',
  caseReference: 'case_reference',
  enteredCareOn: 'entered_care_on',
  emergencyPlacement: 'emergency_placement',
  legalStatus: 'legal_status',
  placement: 'placement',
  school: 'school_urn',
  senStatus: 'sen_status',
  yearGroupOverride: 'year_group',
  recordOwner: 'record_owner_email',
}

export const MAX_IMPORT_ROWS = 20_000

export interface RowProblem {
  line: number
  column: string
  message: string
}

export type ChildImportCheck =
  | { ok: true; children: { line: number; value: ChildFields }[] }
  | { ok: false; problems: RowProblem[]; rowCount: number }

export type ImportRules = Omit<ChildRules, 'caseReferenceTaken' | 'storedUpn'> & {
  /** The case references the authority's children already have. */
  existingCaseReferences: ReadonlySet<string>
}

/** The template's first line. */
export function childCsvTemplate(): string {
  return `${CHILD_CSV_COLUMNS.join(',')}\r\n`
}

/** Checks the header, then every row; either every row is good or every problem is listed. */
export function checkChildRows(
  header: string[],
  rows: CsvRow[],
  rules: ImportRules,
): ChildImportCheck {
  const problems: RowProblem[] = []
  const known = new Set<string>(CHILD_CSV_COLUMNS)
  for (const column of header)
    if (!known.has(column))
      problems.push({
        line: 1,
        column: column || '(empty)',
        message: `Unknown column "${column}": use the columns of the template`,
      })
  for (const column of REQUIRED_COLUMNS)
    if (!header.includes(column))
      problems.push({ line: 1, column, message: `The file has no ${column} column` })
  if (rows.length === 0)
    problems.push({ line: 2, column: '', message: 'The file has no children in it' })
  if (rows.length > MAX_IMPORT_ROWS)
    problems.push({
      line: 1,
      column: '',
      message: `The file has ${rows.length} rows: import at most ${MAX_IMPORT_ROWS.toLocaleString('en-GB')} at a time`,
    })
  if (problems.length > 0) return { ok: false, problems, rowCount: rows.length }

  const index = new Map(header.map((column, i) => [column, i]))
  const cell = (row: CsvRow, column: ChildCsvColumn) => {
    const i = index.get(column)
    return i === undefined ? '' : (row.cells[i] ?? '')
  }
  const inFile = findDuplicates(
    rows
      .map((row) => ({ line: row.line, key: cell(row, 'case_reference') }))
      .filter((r) => r.key !== ''),
  )

  const children: { line: number; value: ChildFields }[] = []
  for (const row of rows) {
    if (row.cells.length > header.length)
      problems.push({
        line: row.line,
        column: '',
        message: `The row has ${row.cells.length} cells but the header has ${header.length}: check for a comma that should be in quotes`,
      })
    const result = validateChild(
      {
        firstName: cell(row, 'first_name'),
        lastName: cell(row, 'last_name'),
        preferredName: cell(row, 'preferred_name'),
        dateOfBirth: parseCsvDate(cell(row, 'date_of_birth'), 'Date of birth'),
        gender: cell(row, 'gender').toLowerCase(),
        upn: cell(row, 'upn'),
        uln: cell(row, 'uln'),
        caseReference: cell(row, 'case_reference'),
        enteredCareOn: parseCsvDate(cell(row, 'entered_care_on'), 'Date entered care'),
        emergencyPlacement: cell(row, 'emergency_placement'),
        legalStatus: cell(row, 'legal_status'),
        placement: cell(row, 'placement'),
        school: cell(row, 'school_urn'),
        senStatus: cell(row, 'sen_status').toLowerCase(),
        yearGroupOverride: cell(row, 'year_group'),
        recordOwner: cell(row, 'record_owner_email'),
      },
      { ...rules, caseReferenceTaken: (ref) => rules.existingCaseReferences.has(ref) },
    )
    const duplicate = inFile.get(row.line)
    const rowProblems = result.ok ? [] : result.problems
    if (duplicate && !rowProblems.some((p) => p.field === 'caseReference'))
      rowProblems.push({
        field: 'caseReference',
        message: `Case reference ${duplicate.key} is also on line ${duplicate.firstLine}`,
      })
    for (const p of rowProblems)
      problems.push({ line: row.line, column: COLUMN_OF_FIELD[p.field], message: p.message })
    if (result.ok && rowProblems.length === 0)
      children.push({ line: row.line, value: result.value })
  }
  if (problems.length > 0) return { ok: false, problems, rowCount: rows.length }
  return { ok: true, children }
}
