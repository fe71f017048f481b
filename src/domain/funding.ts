import { ok, refuse, type Result } from '../shared/result.ts'
import { parsePounds, sumPence, type MoneyRefusal, type Pence } from './money.ts'

/*
 * Pupil Premium Plus (issue 18, domain brief section 7): the rules of the money's life, pure.
 * A SMART target below post-16 requests an amount; the Virtual School approves it, approves a
 * smaller amount or declines it; each approval counts against the child's allocation for the
 * financial year of the decision's date; approved amounts are paid in payment runs; the outcome
 * is recorded at the next review. Money is whole pence (money.ts); every total here is a sum of
 * lines, never a figure kept by hand.
 */

/** A financial year by the calendar year it starts in: 2026 is April 2026 to March 2027. */
export type FinancialYear = number

/** The financial year a date falls in: 31 March 2027 is 2026-27, 1 April 2027 is 2027-28. */
export function financialYearOf(date: string): FinancialYear {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) throw new RangeError(`Not a calendar date: ${date}`)
  const year = Number(match[1])
  const month = Number(match[2])
  return month >= 4 ? year : year - 1
}

/** "2026-27" */
export function financialYearLabel(year: FinancialYear): string {
  return `${year}-${String((year + 1) % 100).padStart(2, '0')}`
}

/** Reads "2026-27" or "2026" back into a financial year; anything else is not one. */
export function parseFinancialYear(text: unknown): FinancialYear | undefined {
  if (typeof text !== 'string') return undefined
  const match = /^(\d{4})(?:-(\d{2}))?$/.exec(text.trim())
  if (!match) return undefined
  const year = Number(match[1])
  if (year < 2000 || year > 2099) return undefined
  if (match[2] !== undefined && Number(match[2]) !== (year + 1) % 100) return undefined
  return year
}

/** The first and last days of a financial year. */
export const financialYearDates = (year: FinancialYear) => ({
  from: `${year}-04-01`,
  to: `${year + 1}-03-31`,
})

/** The categories of spending an authority starts with; each authority can change its list. */
export const DEFAULT_FUNDING_CATEGORIES: readonly string[] = [
  'Tuition',
  'Mentoring',
  'SEMH support',
  'Resources',
  'Trips and enrichment',
  'Training for staff',
  'Alternative provision',
]

/** The most one target may request: £100,000, well past any real request. */
export const MAX_REQUEST_PENCE: Pence = 10_000_000

export type AmountRefusal = MoneyRefusal | 'funding.amount-zero'

/**
 * An amount typed into a request or a smaller approval: pounds and pence, more than nothing and
 * no more than the maximum. "£1,000.005", "12e3", "-5", an emoji: refused with a code.
 */
export function readAmount(
  typed: unknown,
  maxPence: Pence = MAX_REQUEST_PENCE,
): Result<Pence, AmountRefusal> {
  if (typeof typed !== 'string') return refuse('money.empty')
  const parsed = parsePounds(typed, { maxPence })
  if (!parsed.ok) return parsed
  if (parsed.value === 0) return refuse('funding.amount-zero')
  return parsed
}

/** What the Virtual School decides about a request. */
export type DecisionOutcome = 'approved' | 'part_approved' | 'declined'

export const DECISION_OUTCOMES: readonly DecisionOutcome[] = [
  'approved',
  'part_approved',
  'declined',
]

export const isDecisionOutcome = (value: unknown): value is DecisionOutcome =>
  typeof value === 'string' && (DECISION_OUTCOMES as readonly string[]).includes(value)

export type DecisionRefusal =
  | AmountRefusal
  | 'funding.outcome-needed'
  | 'funding.requester-cannot-decide'
  | 'funding.part-not-less'
  | 'funding.reason-needed'
  | 'funding.no-budget'
  | 'funding.over-allocation'
  | 'funding.head-reason-needed'

export interface DecisionInput {
  outcome: unknown
  /** For a smaller approval: the amount as typed. */
  typedAmount: unknown
  /** Why (required to approve a smaller amount or decline): the school and social worker see it. */
  reason: string
  /** Why the child may go past their allocation (a head's approval). */
  overAllocationReason: string
  requestedPence: Pence
  requestedBy: string
  decidedBy: string
  /** Whether the decider is a Virtual School head, who alone may go past the allocation. */
  deciderIsHead: boolean
  /** The child's allocation for the decision's financial year; undefined when no budget is set. */
  allocationPence: Pence | undefined
  /** What else is approved for the child in that year (every other request's current decision). */
  otherApprovedPence: Pence
}

export interface DecisionValue {
  outcome: DecisionOutcome
  amountPence: Pence
  reason: string
  /** Past the allocation with a head's approval: the reason kept with the decision. */
  overAllocation: { reason: string } | null
}

/**
 * A decision on a request. Never more than was requested; a smaller approval is less than the
 * request and more than nothing; a smaller approval or a decline says why; the person who
 * requested does not decide. An approval that would take the child past their allocation for
 * the year (by even 1p) is refused unless a head approves it with a reason; exactly the
 * allocation is within it. A decline needs no budget; an approval needs the year's budget set.
 */
export function decide(input: DecisionInput): Result<DecisionValue, DecisionRefusal> {
  if (input.requestedBy === input.decidedBy) return refuse('funding.requester-cannot-decide')
  if (!isDecisionOutcome(input.outcome)) return refuse('funding.outcome-needed')
  const reason = input.reason.trim()
  if (input.outcome === 'declined') {
    if (reason === '') return refuse('funding.reason-needed')
    return ok({ outcome: 'declined', amountPence: 0, reason, overAllocation: null })
  }
  let amountPence = input.requestedPence
  if (input.outcome === 'part_approved') {
    const amount = readAmount(input.typedAmount, input.requestedPence)
    if (!amount.ok) {
      if (amount.error.code === 'money.over-maximum')
        return refuse('funding.part-not-less', { requestedPence: input.requestedPence })
      return amount
    }
    if (amount.value >= input.requestedPence)
      return refuse('funding.part-not-less', { requestedPence: input.requestedPence })
    if (reason === '') return refuse('funding.reason-needed')
    amountPence = amount.value
  }
  if (input.allocationPence === undefined) return refuse('funding.no-budget')
  const check = allocationCheck(input.allocationPence, input.otherApprovedPence, amountPence)
  let overAllocation: DecisionValue['overAllocation'] = null
  if (check.over) {
    const params = {
      allocationPence: input.allocationPence,
      remainingPence: check.remainingBeforePence,
    }
    if (!input.deciderIsHead) return refuse('funding.over-allocation', params)
    const why = input.overAllocationReason.trim()
    if (why === '') return refuse('funding.head-reason-needed', params)
    overAllocation = { reason: why }
  }
  return ok({ outcome: input.outcome, amountPence, reason, overAllocation })
}

/** Whether an amount fits what is left of an allocation: exactly the allocation fits. */
export function allocationCheck(allocationPence: Pence, approvedPence: Pence, amountPence: Pence) {
  const remainingBeforePence = allocationPence - approvedPence
  return {
    remainingBeforePence,
    over: sumPence([approvedPence, amountPence]) > allocationPence,
  }
}

/** One request's money, as its lines say. */
export interface RequestMoney {
  requestedPence: Pence
  /** The current decision's amount: 0 while undecided or declined. */
  approvedPence: Pence
  /** Lines in paid runs. */
  paidPence: Pence
  /** Lines in any run (paid or not), and corrections waiting for one. */
  inRunsPence: Pence
}

/** What a payment run would take for a request: what is approved and in no run yet. */
export function unpaidPence(approvedPence: Pence, inRunsPence: Pence): Pence {
  return Math.max(0, approvedPence - inRunsPence)
}

/** Per child (or school, or authority) for a year: allocation, approved, paid, remaining. */
export interface FundingSummary {
  allocationPence: Pence
  approvedPence: Pence
  paidPence: Pence
  remainingPence: Pence
}

export function summarise(
  allocationPence: Pence,
  requests: readonly RequestMoney[],
): FundingSummary {
  const approvedPence = sumPence(requests.map((r) => r.approvedPence))
  return {
    allocationPence,
    approvedPence,
    paidPence: sumPence(requests.map((r) => r.paidPence)),
    remainingPence: allocationPence - approvedPence,
  }
}

/** A correction to a paid amount: a negative line, with a reason. */
export type CorrectionRefusal =
  AmountRefusal | 'funding.reason-needed' | 'funding.correction-too-large'

/**
 * A correction takes back part or all of what was paid for a request (typed as a positive
 * amount, stored negative), never more than was paid, and says why.
 */
export function readCorrection(
  typed: unknown,
  reason: string,
  paidPence: Pence,
): Result<{ amountPence: Pence; reason: string }, CorrectionRefusal> {
  const amount = readAmount(typed, MAX_REQUEST_PENCE)
  if (!amount.ok) return amount
  if (amount.value > paidPence) return refuse('funding.correction-too-large', { paidPence })
  if (reason.trim() === '') return refuse('funding.reason-needed')
  return ok({ amountPence: -amount.value, reason: reason.trim() })
}

/** How a funded target turned out, recorded at the next review. */
export const IMPACT_OUTCOMES = [
  { value: 'achieved', text: 'Achieved' },
  { value: 'partly_achieved', text: 'Partly achieved' },
  { value: 'not_achieved', text: 'Not achieved' },
  { value: 'continuing', text: 'Continuing' },
] as const

export type ImpactOutcome = (typeof IMPACT_OUTCOMES)[number]['value']

export const isImpactOutcome = (value: unknown): value is ImpactOutcome =>
  IMPACT_OUTCOMES.some((o) => o.value === value)

/** Why a run's paid date is refused. */
export type PaidOnRefusal = 'funding.paid-in-future' | 'funding.paid-before-run'

/**
 * The day a run was paid: from the day it was made to today, both included (dates in England).
 * A payment still to come is not a payment yet, and a run cannot be paid before it existed.
 */
export function checkPaidOn(
  paidOn: string,
  context: { today: string; madeOn: string },
): Result<string, PaidOnRefusal> {
  if (paidOn > context.today) return refuse('funding.paid-in-future')
  if (paidOn < context.madeOn) return refuse('funding.paid-before-run', { madeOn: context.madeOn })
  return ok(paidOn)
}
