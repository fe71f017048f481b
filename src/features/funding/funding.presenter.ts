import { financialYearLabel, IMPACT_OUTCOMES, unpaidPence } from '../../domain/funding.ts'
import { formatPence, toDecimalPounds } from '../../domain/money.ts'
import { isYearGroup, YEAR_GROUP_NAMES } from '../../domain/year-group.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import type { ExportTable } from '../../shared/export/export-table.ts'
import { termLabel } from '../../domain/terms.ts'
import type { FundingOutcome, TermName } from '../../db/schema.ts'
import { paths } from '../../paths.ts'
import { countOf, formatDate, formatDateTime } from '../../views/format.ts'
import { pepTitle } from '../peps/pep.presenter.ts'
import type { RequestRow } from './funding.repository.ts'
import type { LineRow, RunRow, RunSchoolRow } from './payments.repository.ts'
import type { ReportDimension, ReportRow } from './report.query.ts'

/* The words and rows of Pupil Premium Plus pages. */

export const OUTCOME_NAMES: Record<FundingOutcome, string> = {
  approved: 'Approved',
  part_approved: 'Approved in part',
  declined: 'Declined',
}

const OUTCOME_TAGS: Record<FundingOutcome, string> = {
  approved: 'govuk-tag--green',
  part_approved: 'govuk-tag--turquoise',
  declined: 'govuk-tag--red',
}

export const IMPACT_NAMES: Record<string, string> = Object.fromEntries(
  IMPACT_OUTCOMES.map((o) => [o.value, o.text]),
)

export const money = (pence: number) => formatPence(pence)

/** A request's state in a word, with its tag's colour. */
export function requestStatus(r: Pick<RequestRow, 'outcome'>) {
  if (!r.outcome) return { text: 'Awaiting decision', classes: 'govuk-tag--yellow' }
  return { text: OUTCOME_NAMES[r.outcome], classes: OUTCOME_TAGS[r.outcome] }
}

/** A request as the lists show it. */
export function requestRow(r: RequestRow) {
  return {
    id: r.id,
    href: paths.funding.request(r.childId, r.id),
    target: r.targetText,
    category: r.category,
    purpose: r.purpose,
    pep: termLabel({ academicYear: r.pepAcademicYear, name: r.pepTerm as TermName }),
    requested: money(r.amountPence),
    approved: r.outcome ? money(r.approvedPence) : '–',
    paid: money(r.paidPence),
    awaitingPayment: money(unpaidPence(r.approvedPence, r.paymentsPence)),
    status: requestStatus(r),
    year: r.financialYear === null ? '–' : financialYearLabel(r.financialYear),
    reason: r.decisionReason,
    requestedBy: r.requestedByName,
    requestedAt: formatDateTime(r.requestedAt),
    decidedOn: r.decidedOn ? formatDate(r.decidedOn) : null,
    decidedBy: r.decidedByName,
    impact: r.impactOutcome ? IMPACT_NAMES[r.impactOutcome] : null,
    impactDifference: r.impactDifference,
  }
}

/** A payment run's state in words: paid (when), not yet paid, or discarded (when, by whom, why). */
export function runStatus(
  run: Pick<
    RunRow,
    'status' | 'paidOn' | 'paidReference' | 'discardedAt' | 'discardedByName' | 'discardReason'
  >,
): string {
  if (run.status === 'paid')
    return `Paid on ${formatDate(run.paidOn)}, reference ${run.paidReference ?? ''}`
  if (run.status === 'discarded') {
    const who = run.discardedByName ? ` by ${run.discardedByName}` : ''
    const why = run.discardReason ? `: ${run.discardReason}` : ''
    return `Discarded on ${formatDateTime(run.discardedAt)}${who}${why}`
  }
  return 'Not yet paid'
}

type PepNamed = Parameters<typeof pepTitle>[0]
type Named = { firstName: string; lastName: string }
type RunPeriod = { periodFrom: string | Date | null; periodTo: string | Date | null }
const period = (run: RunPeriod) => `${formatDate(run.periodFrom)} to ${formatDate(run.periodTo)}`

/** The title of each Pupil Premium Plus page (ADR 7: titles from the presenter). */
export const fundingTitles = {
  chooseAuthority: 'Choose an authority – Pupil Premium Plus',
  budgets: (authority: string) => `Pupil Premium Plus budgets – ${authority}`,
  budget: (year: number, authority: string) => `Budget ${financialYearLabel(year)} – ${authority}`,
  settings: (authority: string) => `Pupil Premium Plus settings – ${authority}`,
  child: (child: Named) => `Pupil Premium Plus – ${child.firstName} ${child.lastName}`,
  pep: (pep: PepNamed) => `Pupil Premium Plus – ${pepTitle(pep)}`,
  impact: (pep: PepNamed) => `Impact of Pupil Premium Plus – ${pepTitle(pep)}`,
  recordImpact: (pepName: string) => `Record the impact – ${pepName}`,
  report: (year: number, authority: string) =>
    `Spend and impact ${financialYearLabel(year)} – ${authority}`,
  overview: (year: number, authority: string) =>
    `Pupil Premium Plus ${financialYearLabel(year)} – ${authority}`,
  decisions: (authority: string) => `Funding requests awaiting a decision – ${authority}`,
  runs: (authority: string) => `Payment runs – ${authority}`,
  run: (run: RunPeriod, authority: string) => `Payment run ${period(run)} – ${authority}`,
  discardRun: (run: RunPeriod, authority: string) =>
    `Discard the payment run ${period(run)} – ${authority}`,
  requestForm: (changing: boolean, pep: PepNamed) =>
    `${changing ? 'Change the request' : 'Request funding'} – ${pepTitle(pep)}`,
  request: (child: Named) => `Funding request – ${child.firstName} ${child.lastName}`,
}

/** The heading of the request form. */
export const requestFormHeading = (changing: boolean) =>
  changing ? 'Change the funding request' : 'Request Pupil Premium Plus funding'

/** What a change says on the page it leads back to (a flash message). */
export const fundingNotices = {
  budgetSaved: (year: number) => `Budget for ${financialYearLabel(year)} saved`,
  settingsSaved: 'Pupil Premium Plus settings saved',
  impactRecorded: 'Impact recorded',
  runMade: (lines: number) => `Payment run made with ${lines} lines`,
  runPaid: 'Payment run marked paid',
  runDiscarded: (lines: number) =>
    `Payment run discarded: ${countOf(lines, 'line')} unpaid again, to join another run`,
  requested: (changing: boolean) => (changing ? 'Funding request changed' : 'Funding requested'),
  decided: 'Decision recorded',
  corrected: 'Correction recorded: it will be in the next payment run',
}

/** The earlier records of a request's impact, each under who recorded it and when. */
export function earlierImpactRows(
  earlier: readonly {
    outcome: string
    difference: string
    recordedAt: Date
    recordedBy: string | null
  }[],
) {
  return earlier.map((e) => ({
    heading: `Recorded by ${e.recordedBy ?? 'someone'} on ${formatDateTime(e.recordedAt)}`,
    outcome: IMPACT_NAMES[e.outcome] ?? e.outcome,
    difference: e.difference,
  }))
}

/** A payment run as the list of runs shows it. */
export const runListRow = (r: RunRow, href: string) => ({
  href,
  period: `${formatDate(r.periodFrom)} to ${formatDate(r.periodTo)}`,
  made: `${formatDateTime(r.createdAt)} by ${r.createdByName}`,
  lines: r.lines,
  total: money(r.totalPence),
  status: runStatus(r),
})

/** A payment run as its page shows it. */
export const runModel = (run: RunRow) => ({
  ...run,
  period: `${formatDate(run.periodFrom)} to ${formatDate(run.periodTo)}`,
  total: money(run.totalPence),
  paidOn: formatDate(run.paidOn),
  statusText: runStatus(run),
})

/** One school's lines of a run, on the run's page. */
export const runSchoolRow = (s: RunSchoolRow) => ({
  name: s.name ?? 'No school recorded',
  urn: s.urn ?? '–',
  dfe: s.dfeNumber ?? '–',
  lines: s.lines,
  total: formatPence(s.totalPence),
})

/** The export's rows: each line, and after each school's lines its total. */
export async function* linesWithTotals(
  lines: Iterable<LineRow> | AsyncIterable<LineRow>,
): AsyncGenerator<LineRow & { total?: boolean }> {
  let current: LineRow | undefined
  let total = 0
  for await (const line of lines) {
    if (current && current.schoolId !== line.schoolId) {
      yield { ...current, total: true, amountPence: total }
      total = 0
    }
    current = line
    total += line.amountPence
    yield line
  }
  if (current) yield { ...current, total: true, amountPence: total }
}

export function runExport(
  run: RunRow,
  authority: AuthorityChoice,
  rows: Iterable<LineRow> | AsyncIterable<LineRow>,
): ExportTable<LineRow & { total?: boolean }> {
  return {
    title: `Payment run ${run.periodFrom} to ${run.periodTo}`,
    preamble: [
      `${authority.name}: Pupil Premium Plus payment run`,
      `Decisions from ${formatDate(run.periodFrom)} to ${formatDate(run.periodTo)}`,
      run.status === 'paid'
        ? `Paid on ${formatDate(run.paidOn)}, reference ${run.paidReference}`
        : 'Not yet paid',
    ],
    columns: [
      { header: 'School', value: (r) => r.schoolName ?? 'No school recorded' },
      { header: 'URN', value: (r) => r.urn },
      { header: 'DfE number', value: (r) => r.dfeNumber },
      { header: 'Case reference', value: (r) => (r.total ? 'School total' : r.caseReference) },
      { header: 'Target', value: (r) => (r.total ? null : r.targetText) },
      { header: 'Category', value: (r) => (r.total ? null : r.category) },
      { header: 'What it buys', value: (r) => (r.total ? null : r.purpose) },
      {
        header: 'Line',
        value: (r) =>
          r.total ? null : r.kind === 'payment' ? 'Payment' : `Correction: ${r.reason ?? ''}`,
      },
      { header: 'Amount (pence)', value: (r) => r.amountPence },
      { header: 'Amount (£)', value: (r) => toDecimalPounds(r.amountPence) },
    ],
    rows: linesWithTotals(rows),
  }
}

/** The spend report's groupings, by their column. */
export const REPORT_DIMENSIONS: Record<ReportDimension, string> = {
  category: 'Category',
  school: 'School',
  year_group: 'Year group',
}

const reportRowName = (row: ReportRow) =>
  row.dimension === 'year_group' && isYearGroup(row.name) ? YEAR_GROUP_NAMES[row.name] : row.name

/** The spend and impact report as a download: one row for each category, school and year group. */
export const spendReportExport = (
  rows: ReportRow[],
  authority: AuthorityChoice,
  year: number,
): ExportTable<ReportRow> => ({
  title: `Pupil Premium Plus spend and impact ${financialYearLabel(year)}`,
  preamble: [`${authority.name}`, `Financial year ${financialYearLabel(year)}`],
  columns: [
    { header: 'By', value: (r) => REPORT_DIMENSIONS[r.dimension] },
    { header: 'Name', value: reportRowName },
    { header: 'Funded targets', value: (r) => r.requests },
    { header: 'Approved (pence)', value: (r) => r.approvedPence },
    { header: 'Paid (pence)', value: (r) => r.paidPence },
    { header: 'Achieved', value: (r) => r.achieved },
    { header: 'Partly achieved', value: (r) => r.partly },
    { header: 'Not achieved', value: (r) => r.notAchieved },
    { header: 'Continuing', value: (r) => r.continuing },
    { header: 'Not yet reviewed', value: (r) => r.notRecorded },
  ],
  rows,
})

/** The spend and impact report's tables on its page, one for each grouping. */
export const spendReportTables = (rows: readonly ReportRow[]) =>
  (Object.keys(REPORT_DIMENSIONS) as ReportDimension[]).map((dimension) => ({
    caption: `By ${REPORT_DIMENSIONS[dimension].toLowerCase()}`,
    first: REPORT_DIMENSIONS[dimension],
    rows: rows
      .filter((r) => r.dimension === dimension)
      .map((r) => ({
        ...r,
        name: reportRowName(r),
        approved: formatPence(r.approvedPence),
        paid: formatPence(r.paidPence),
      })),
  }))
