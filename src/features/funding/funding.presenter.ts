import { financialYearLabel, IMPACT_OUTCOMES, unpaidPence } from '../../domain/funding.ts'
import { formatPence } from '../../domain/money.ts'
import { termLabel } from '../../domain/terms.ts'
import type { FundingOutcome, TermName } from '../../db/schema.ts'
import { paths } from '../../paths.ts'
import { countOf, formatDate, formatDateTime } from '../../views/format.ts'
import { pepTitle } from '../peps/pep.presenter.ts'
import type { RequestRow } from './funding.repository.ts'
import type { RunRow } from './payments.repository.ts'

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
