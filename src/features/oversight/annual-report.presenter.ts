import { formatPence } from '../../domain/money.ts'
import { CIRCUMSTANCE_KINDS } from '../../domain/education-circumstance.ts'
import { EDUCATION_FLAGS, percent, type TermFigures } from '../../domain/oversight.ts'
import { CIRCUMSTANCE_SHORT } from '../../forms/circumstance-messages.ts'
import { TERM_NAMES } from '../../domain/terms.ts'
import type { ExportTable } from '../../shared/export/export-table.ts'
import type {
  AttendanceCounts,
  cohortMovement,
  exclusionCounts,
  ppPlusPaid,
} from './annual-report.query.ts'
import { EDUCATION_FLAG_NAMES, RATING_NAMES, REVIEW_GAP_NAME } from './dashboard.presenter.ts'

/** The report's title: the year it is of, once the year is read. */
export const annualReportTitle = (label?: string) =>
  label ? `Annual report ${label}` : 'Annual report'

/*
 * The annual report's rows (ADR 11): the cohort and its movement, PEP completion and timeliness
 * term by term, quality and participation, attendance, exclusions and Pupil Premium Plus, each
 * row a figure with one cell per term and one for the year. The page, the single table and the
 * ZIP of one CSV file per section show the same rows.
 */

/** Each table of the page and its file's name in the ZIP pack. */
export const SECTION_FILES: Record<string, string> = {
  Cohort: 'cohort-movement',
  PEPs: 'peps-by-term',
  Quality: 'quality-ratings',
  Participation: 'participation',
  'Flags on the term’s cohort': 'flags-by-term',
  'Provision and timetable': 'provision-and-timetable',
  Attendance: 'attendance',
  Exclusions: 'exclusions',
  'Pupil Premium Plus': 'pupil-premium-plus',
}

export interface ReportRow {
  section: string
  figure: string
  /** One cell per term of the year (blank for a term not yet begun), then the year's. */
  cells: string[]
}

export interface ReportFacts {
  /** Each begun term's figures, by the term's name. */
  figures: ReadonlyMap<string, TermFigures>
  movement: Awaited<ReturnType<typeof cohortMovement>>
  attendance: AttendanceCounts
  exclusions: Awaited<ReturnType<typeof exclusionCounts>>
  ppPlus: Awaited<ReturnType<typeof ppPlusPaid>>
  /** The figures run to the year's last day (not to today). */
  wholeYear: boolean
}

export function reportRows(facts: ReportFacts): ReportRow[] {
  const { figures, movement, attendance, exclusions, ppPlus } = facts
  const perTerm = (value: (f: TermFigures) => string, year?: string): string[] => [
    ...TERM_NAMES.map((name) => {
      const f = figures.get(name)
      return f ? value(f) : ''
    }),
    year ?? '',
  ]
  const share = (part: number, whole: number) => {
    const p = percent(part, whole)
    return p === null ? '' : `${p}%`
  }
  const sum = (value: (f: TermFigures) => number) =>
    [...figures.values()].reduce((total, f) => total + value(f), 0)
  const ratingRows: ReportRow[] = (
    ['outstanding', 'good', 'requires_improvement', 'inadequate'] as const
  ).map((r) => ({
    section: 'Quality',
    figure: `Rated ${RATING_NAMES[r].toLowerCase()}`,
    cells: perTerm((f) => String(f.ratings[r]), String(sum((f) => f.ratings[r]))),
  }))
  const rows: ReportRow[] = [
    {
      section: 'Cohort',
      figure: 'In care on 1 September',
      cells: ['', '', '', String(movement.atStart)],
    },
    { section: 'Cohort', figure: 'Entered care', cells: ['', '', '', String(movement.entered)] },
    {
      section: 'Cohort',
      figure: 'Ceased to be in care',
      cells: ['', '', '', String(movement.left)],
    },
    {
      section: 'Cohort',
      figure: facts.wholeYear ? 'In care on 31 August' : 'In care today',
      cells: ['', '', '', String(movement.atEnd)],
    },
    {
      section: 'Cohort',
      figure: 'In care at any time in the year',
      cells: ['', '', '', String(movement.anyTime)],
    },
    {
      section: 'PEPs',
      figure: 'Children in care (the term’s cohort)',
      cells: perTerm((f) => String(f.cohort)),
    },
    { section: 'PEPs', figure: 'No PEP', cells: perTerm((f) => String(f.byStage.no_pep)) },
    {
      section: 'PEPs',
      figure: 'Signed off',
      cells: perTerm((f) => String(f.byStage.signed_off), String(sum((f) => f.byStage.signed_off))),
    },
    {
      section: 'PEPs',
      figure: 'Signed off by the term’s window',
      cells: perTerm((f) => String(f.signedOffByWindow), String(sum((f) => f.signedOffByWindow))),
    },
    {
      section: 'PEPs',
      figure: 'Share signed off by the window',
      cells: perTerm(
        (f) => share(f.signedOffByWindow, f.cohort),
        share(
          sum((f) => f.signedOffByWindow),
          sum((f) => f.cohort),
        ),
      ),
    },
    ...ratingRows,
    {
      section: 'Participation',
      figure: 'The young person took part, with their views recorded',
      cells: perTerm(
        (f) => `${f.participated} of ${f.participationAnswered}`,
        `${sum((f) => f.participated)} of ${sum((f) => f.participationAnswered)}`,
      ),
    },
    // The dashboard's flags and circumstances, term by term (issue 17): each counts children
    // of the term's cohort, so a year's cell would count a child once per term: left blank.
    ...EDUCATION_FLAGS.map((flag) => ({
      section: 'Flags on the term’s cohort',
      figure: EDUCATION_FLAG_NAMES[flag],
      cells: perTerm((f) => String(f.education[flag])),
    })),
    {
      section: 'Flags on the term’s cohort',
      figure: REVIEW_GAP_NAME,
      cells: perTerm((f) => String(f.pastReviewGap)),
    },
    ...CIRCUMSTANCE_KINDS.map((kind) => ({
      section: 'Provision and timetable',
      figure: `${CIRCUMSTANCE_SHORT[kind]} on the term’s last day (or today)`,
      cells: perTerm((f) => String(f.circumstances[kind])),
    })),
    {
      section: 'Attendance',
      figure: 'Children with attendance recorded',
      cells: ['', '', '', String(attendance.children)],
    },
    {
      section: 'Attendance',
      figure: 'Missed 10% or more of their sessions (persistent absence)',
      cells: ['', '', '', String(attendance.persistent)],
    },
    {
      section: 'Exclusions',
      figure: 'Suspensions',
      cells: ['', '', '', String(exclusions.suspensions)],
    },
    {
      section: 'Exclusions',
      figure: 'Permanent exclusions',
      cells: ['', '', '', String(exclusions.permanent)],
    },
    {
      section: 'Exclusions',
      figure: 'Children excluded',
      cells: ['', '', '', String(exclusions.children)],
    },
    {
      section: 'Pupil Premium Plus',
      figure: 'Paid to schools and settings',
      cells: ['', '', '', formatPence(ppPlus.pence)],
    },
    {
      section: 'Pupil Premium Plus',
      figure: 'Children it was paid for',
      cells: ['', '', '', String(ppPlus.children)],
    },
  ]
  return rows
}

/** The year's report as one table (CSV or spreadsheet), a Section column first. */
export function reportTable(
  title: string,
  preamble: string[],
  heads: readonly string[],
  rows: readonly ReportRow[],
): ExportTable<ReportRow> {
  return {
    title,
    preamble,
    columns: [{ header: 'Section', value: (r) => r.section }, ...figureColumns(heads)],
    rows: [...rows],
  }
}

/** The columns of a section's table: the figure, then each term's and the year's cell. */
export function figureColumns(heads: readonly string[]) {
  return [
    { header: 'Figure', value: (r: ReportRow) => r.figure },
    ...heads.map((head, i) => ({ header: head, value: (r: ReportRow) => r.cells[i] })),
  ]
}
