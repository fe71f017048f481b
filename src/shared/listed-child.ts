import type { CalendarDate } from '../domain/calendar-date.ts'
import {
  OVERDUE_NAMES,
  RATING_NAMES,
  STAGE_NAMES,
  type OverdueKind,
  type PepStage,
  type Rating,
} from '../domain/oversight.ts'
import {
  KEY_STAGE_NAMES,
  YEAR_GROUP_NAMES,
  isYearGroup,
  keyStageOf,
  yearGroupOn,
} from '../domain/year-group.ts'
import { paths } from '../paths.ts'
import type { ExportColumn } from './export/export-table.ts'
import { AREA_CHOICES, SEN_NAMES } from './list-filter-words.ts'

/*
 * A child of a list in words, written once for every list of children (issue 17): the children
 * list and My work describe their rows here and export the same columns; the Virtual School's
 * list behind a figure exports the same child columns beside its term's own.
 */

/** This term's PEP as the lists show it (current-pep.ts reads it). */
export interface PepState {
  stage: PepStage
  targetOn: CalendarDate | null
  schoolDueOn: CalendarDate | null
  rating: Rating | null
  overdue: OverdueKind[]
}

/**
 * A PEP's state in words, for the children list, My work and the child's PEPs tab: its stage as
 * the Virtual School says it, the target date, the school's part's due date, the overall rating
 * once signed off, and how it is overdue. No PEP this term reads "No PEP yet".
 */
export function describePepState(pep: PepState | undefined) {
  return {
    stage: STAGE_NAMES[pep?.stage ?? 'no_pep'],
    targetOn: pep?.targetOn ?? null,
    schoolDueOn: pep?.schoolDueOn ?? null,
    rating: pep?.rating ? RATING_NAMES[pep.rating] : null,
    overdue: (pep?.overdue ?? []).map((k) => OVERDUE_NAMES[k]),
  }
}

/** A child's row as a list reads it. */
export interface ListedChildRow {
  id: string
  firstName: string
  lastName: string
  dateOfBirth: CalendarDate
  yearGroupOverride: string | null
  status: 'in_care' | 'ceased'
  schoolName: string | null
  schoolInArea: boolean | null
  authorityName: string
  senStatus: 'none' | 'sen_support' | 'ehc_plan'
  placement: string | null
  socialWorkerName: string | null
  caseReference?: string
}

/**
 * The parts of the record the reader's role on the child reads (ADR 10): the core data (date
 * of birth, social worker, placement) and the key indicators (year group, SEN, the PEP).
 */
export interface PartsRead {
  coreData: boolean
  keyIndicators: boolean
}
const EVERY_PART: PartsRead = { coreData: true, keyIndicators: true }

/** A year group in words: "Under 2", "Year 9", "Beyond Year 13", and its key stage if any. */
export function yearGroupWords(
  dateOfBirth: CalendarDate,
  on: CalendarDate,
  override: string | null,
): { yearGroup: string; keyStage: string } {
  const year = yearGroupOn(dateOfBirth, on, isYearGroup(override) ? override : null)
  if (year.kind === 'year')
    return {
      yearGroup: YEAR_GROUP_NAMES[year.yearGroup],
      keyStage: KEY_STAGE_NAMES[keyStageOf(year.yearGroup)],
    }
  return { yearGroup: year.kind === 'too-young' ? 'Under 2' : 'Beyond Year 13', keyStage: '' }
}

/**
 * One child of a list in words, the page's row and the export's, as far as the reader's role
 * reads (a part not read is null). This term's PEP is shown to those who read PEPs (`peps`
 * given) while the child is in care: a child who has ceased to be in care has no PEP due.
 */
export function describeListedChild(
  row: ListedChildRow,
  today: CalendarDate,
  peps: ReadonlyMap<string, PepState> | null,
  reads: PartsRead = EVERY_PART,
) {
  const year = yearGroupWords(row.dateOfBirth, today, row.yearGroupOverride)
  const { coreData, keyIndicators } = reads
  return {
    href: paths.children.show(row.id),
    name: `${row.lastName}, ${row.firstName}`,
    fullName: `${row.firstName} ${row.lastName}`,
    lastName: row.lastName,
    firstName: row.firstName,
    caseReference: row.caseReference ?? null,
    dateOfBirth: coreData ? row.dateOfBirth : null,
    yearGroup: keyIndicators ? year.yearGroup : null,
    keyStage: keyIndicators ? year.keyStage : null,
    school: row.schoolName ?? 'No school recorded',
    area: AREA_CHOICES.find(
      (a) => a.value === (row.schoolName === null ? 'none' : row.schoolInArea ? 'in' : 'out'),
    )!.text,
    socialWorker: coreData ? (row.socialWorkerName ?? '') : null,
    sen: keyIndicators ? SEN_NAMES[row.senStatus] : null,
    placement: coreData ? (row.placement ?? 'Not recorded') : null,
    ceased: row.status === 'ceased',
    authorityName: row.authorityName,
    pep:
      peps && keyIndicators && row.status === 'in_care' ? describePepState(peps.get(row.id)) : null,
  }
}

export type ListedChild = ReturnType<typeof describeListedChild>

/** What every list holds of the child in words, for the child's columns of its export. */
export interface ChildWords {
  lastName: string
  firstName: string
  dateOfBirth?: CalendarDate | null
  caseReference?: string | null
  yearGroup: string | null
  keyStage: string | null
  school: string
  area: string
  socialWorker: string | null
  sen: string | null
  placement: string | null
}

const column = <Row>(header: string, value: ExportColumn<Row>['value']): ExportColumn<Row> => ({
  header,
  value,
})

/** Who the child is and where they learn: every list's export starts with these. */
export function childColumns(options: {
  dateOfBirth: boolean
  caseReference: boolean
}): ExportColumn<ChildWords>[] {
  return [
    column('Surname', (c) => c.lastName),
    column('First name', (c) => c.firstName),
    ...(options.dateOfBirth ? [column<ChildWords>('Date of birth', (c) => c.dateOfBirth)] : []),
    ...(options.caseReference
      ? [column<ChildWords>('Case reference', (c) => c.caseReference)]
      : []),
    column('Year group', (c) => c.yearGroup),
    column('Key stage', (c) => c.keyStage),
    column('School', (c) => c.school),
    column('In or out of area', (c) => c.area),
    column('Social worker', (c) => c.socialWorker),
    column('Special educational needs', (c) => c.sen),
    column('Placement', (c) => c.placement),
  ]
}

/** The columns of a list of children in care and ceased (the children list and My work). */
export function listedChildColumns<Row extends ListedChild>(options: {
  caseReference: boolean
  /** Columns of the list's own, after the authority (My work: the reader's role). */
  own?: readonly ExportColumn<Row>[]
  /** This term's PEP: for those who read PEPs. */
  peps: boolean
}): ExportColumn<Row>[] {
  return [
    ...childColumns({ dateOfBirth: true, caseReference: options.caseReference }),
    column<Row>('Status', (c) => (c.ceased ? 'Ceased to be in care' : 'In care')),
    column<Row>('Authority', (c) => c.authorityName),
    ...(options.own ?? []),
    ...(options.peps
      ? [
          column<Row>('This term’s PEP', (c) => c.pep?.stage),
          column<Row>('PEP target date', (c) => c.pep?.targetOn),
          column<Row>('School’s part due', (c) => c.pep?.schoolDueOn),
          column<Row>('Overall rating', (c) => c.pep?.rating),
          column<Row>('Overdue', (c) => c.pep?.overdue.join('; ')),
        ]
      : []),
  ]
}
