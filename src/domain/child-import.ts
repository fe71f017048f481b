import type { CsvRow } from './csv.ts'
import {
  checkCircumstance,
  type Circumstance,
  type CircumstanceField,
  type CircumstanceKind,
  type CircumstanceProblem,
} from './education-circumstance.ts'
import {
  byColumn,
  checkImportRows,
  type CellProblem,
  type ImportProblem,
  type ImportSpec,
} from './import-rows.ts'
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
  // The child's education circumstances on the day of the import (issue 17), each optional:
  // the same rule as the record's "Provision and timetable" tab.
  'alternative_provision_provider',
  'alternative_provision_from',
  'alternative_provision_to',
  'part_time_hours',
  'part_time_reason',
  'part_time_from',
  'part_time_to',
  'neet_from',
  'neet_to',
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

/** Each circumstance's columns, by the rule's fields (a kind is given when any of its cells is). */
export const CIRCUMSTANCE_COLUMNS: Record<
  CircumstanceKind,
  Partial<Record<CircumstanceField, ChildCsvColumn>>
> = {
  alternative_provision: {
    provider: 'alternative_provision_provider',
    startsOn: 'alternative_provision_from',
    endsOn: 'alternative_provision_to',
  },
  part_time: {
    hoursPerWeek: 'part_time_hours',
    reason: 'part_time_reason',
    startsOn: 'part_time_from',
    endsOn: 'part_time_to',
  },
  neet: { startsOn: 'neet_from', endsOn: 'neet_to' },
}

/** A child of the file: the core data, and the circumstances the file gives for them. */
export type ImportedChild = ChildFields & { circumstances: Circumstance[] }

export type { ImportProblem as RowProblem } from './import-rows.ts'

export type ChildImportCheck =
  | { ok: true; children: { line: number; value: ImportedChild }[] }
  | { ok: false; problems: ImportProblem[]; rowCount: number }

export type ImportRules = Omit<ChildRules, 'caseReferenceTaken' | 'storedUpn' | 'upnTaken'> & {
  /** The case references the authority's children already have. */
  existingCaseReferences: ReadonlySet<string>
  /** The UPNs of every child already recorded, in any authority (normalised). */
  existingUpns?: ReadonlySet<string>
  /** The words for a problem in the report: `childProblemText` of `src/forms/child-messages.ts`. */
  words: (problem: FieldProblem) => string
  /** The words for a circumstance's problem: `circumstanceMessage` of `circumstance-messages.ts`. */
  circumstanceWords: (problem: CircumstanceProblem) => string
}

/** A CSV date cell as the circumstance rule reads it: '' when blank, 'invalid' when unreadable. */
function circumstanceDate(cell: string): string {
  if (cell === '') return ''
  const date = parseCsvDate(cell, 'Date')
  return date.ok ? date.value : 'invalid'
}

/**
 * The circumstances a row gives, checked by the tab's rule (`checkCircumstance`) against the
 * row's date of birth. Without a readable date of birth the post-16 check of NEET is left to the
 * date of birth's own problem.
 */
export function readCircumstanceCells(
  cell: (column: string) => string,
  context: { today: string; dateOfBirth: string | null },
  words: (problem: CircumstanceProblem) => string,
): { ok: true; value: Circumstance[] } | { ok: false; problems: CellProblem[] } {
  const value: Circumstance[] = []
  const problems: CellProblem[] = []
  for (const [kind, columns] of Object.entries(CIRCUMSTANCE_COLUMNS) as [
    CircumstanceKind,
    Partial<Record<CircumstanceField, ChildCsvColumn>>,
  ][]) {
    const read = (field: CircumstanceField) => {
      const column = columns[field]
      return column ? cell(column).trim() : ''
    }
    if (Object.values(columns).every((column) => cell(column).trim() === '')) continue
    const checked = checkCircumstance(
      kind,
      {
        startsOn: circumstanceDate(read('startsOn')),
        endsOn: circumstanceDate(read('endsOn')),
        provider: read('provider'),
        hoursPerWeek: read('hoursPerWeek'),
        reason: read('reason'),
      },
      { today: context.today, dateOfBirth: context.dateOfBirth ?? '0001-01-01' },
    )
    if (checked.ok) value.push(checked.value)
    else
      for (const p of checked.problems)
        if (context.dateOfBirth !== null || p.code !== 'circumstance.not-post-16')
          problems.push({ column: columns[p.field] ?? '', message: words(p) })
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value }
}

/** The children file's place in the import pipeline: its columns and the check of a row. */
export function childImportSpec(rules: ImportRules): ImportSpec<ImportedChild> {
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
      const dateOfBirth = parseCsvDate(cell('date_of_birth'), 'Date of birth')
      const result = validateChild(
        {
          firstName: cell('first_name'),
          lastName: cell('last_name'),
          preferredName: cell('preferred_name'),
          dateOfBirth,
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
      const core = byColumn(result, COLUMN_OF_FIELD, rules.words)
      const circumstances = readCircumstanceCells(
        cell,
        { today: rules.today, dateOfBirth: dateOfBirth.ok ? dateOfBirth.value : null },
        rules.circumstanceWords,
      )
      if (!core.ok || !circumstances.ok)
        return {
          ok: false,
          problems: [
            ...(core.ok ? [] : core.problems),
            ...(circumstances.ok ? [] : circumstances.problems),
          ],
        }
      return { ok: true, value: { ...core.value, circumstances: circumstances.value } }
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
