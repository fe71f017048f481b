import type { CsvRow } from './csv.ts'
import { byColumn, checkImportRows, type ImportProblem, type ImportSpec } from './import-rows.ts'
import { normaliseUpn } from './upn.ts'
import {
  parseCsvDate,
  validateChild,
  type ChildField,
  type ChildFields,
  type ChildRules,
  type FieldProblem,
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

export type { ImportProblem as RowProblem } from './import-rows.ts'

export type ChildImportCheck =
  | { ok: true; children: { line: number; value: ChildFields }[] }
  | { ok: false; problems: ImportProblem[]; rowCount: number }

export type ImportRules = Omit<ChildRules, 'caseReferenceTaken' | 'storedUpn' | 'upnTaken'> & {
  /** The case references the authority's children already have. */
  existingCaseReferences: ReadonlySet<string>
  /** The UPNs of every child already recorded, in any authority (normalised). */
  existingUpns?: ReadonlySet<string>
  /** The words for a problem in the report: `childProblemText` of `src/forms/child-messages.ts`. */
  words: (problem: FieldProblem) => string
}

/** The children file's place in the import pipeline: its columns and the check of a row. */
export function childImportSpec(rules: ImportRules): ImportSpec<ChildFields> {
  const existingUpns = rules.existingUpns ?? new Set<string>()
  const childRules: ChildRules = {
    ...rules,
    caseReferenceTaken: (ref) => rules.existingCaseReferences.has(ref),
    upnTaken: (upn) => existingUpns.has(upn),
  }
  return {
    plural: 'children',
    columns: CHILD_CSV_COLUMNS,
    required: REQUIRED_COLUMNS,
    maxRows: MAX_IMPORT_ROWS,
    distinct: [
      { column: 'case_reference', label: 'Case reference' },
      { column: 'upn', label: 'UPN', normalise: normaliseUpn },
    ],
    checkRow(cell) {
      const result = validateChild(
        {
          firstName: cell('first_name'),
          lastName: cell('last_name'),
          preferredName: cell('preferred_name'),
          dateOfBirth: parseCsvDate(cell('date_of_birth'), 'Date of birth'),
          gender: cell('gender').toLowerCase(),
          upn: cell('upn'),
          uln: cell('uln'),
          caseReference: cell('case_reference'),
          enteredCareOn: parseCsvDate(cell('entered_care_on'), 'Date entered care'),
          emergencyPlacement: cell('emergency_placement'),
          legalStatus: cell('legal_status'),
          placement: cell('placement'),
          school: cell('school_urn'),
          senStatus: cell('sen_status').toLowerCase(),
          yearGroupOverride: cell('year_group'),
          recordOwner: cell('record_owner_email'),
        },
        childRules,
      )
      return byColumn(result, COLUMN_OF_FIELD, rules.words)
    },
  }
}

/** Checks the header, then every row; either every row is good or every problem is listed. */
export function checkChildRows(
  header: string[],
  rows: CsvRow[],
  rules: ImportRules,
): ChildImportCheck {
  const check = checkImportRows(childImportSpec(rules), header, rows)
  return check.ok ? { ok: true, children: check.rows } : check
}
