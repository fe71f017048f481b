import {
  isImpactOutcome,
  parseFinancialYear,
  readAmount,
  type ImpactOutcome,
} from '../../domain/funding.ts'
import { parsePounds, type Pence } from '../../domain/money.ts'
import { FormProblems, formError, type FormErrors } from '../../forms/validation.ts'
import { readDateInput, type DateInputValues } from '../../forms/date-input.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import type { PaidOnRefusal } from '../../domain/funding.ts'
import type { Budget } from './funding.repository.ts'
import type { DecisionForm, RequestFields } from './funding.service.ts'
import type { Refusal } from '../../shared/result.ts'
import {
  amountMessage,
  capital,
  correctionProblem,
  decisionProblem,
  DISCARD_REASON_MAX,
  discardReasonTooLong,
  paidOnText,
  requestRefusalText,
  runRefusalText,
} from './funding.messages.ts'
import type { RunClosed } from './payments.service.ts'

/* The forms of Pupil Premium Plus: read field by field, with every message naming its field. */

export const TEXT_MAX = 2000
const text = (value: unknown) => (typeof value === 'string' ? value : '')

export type Read<T, V> = { ok: true; value: T } | { ok: false; values: V; errors: FormErrors }

export interface RequestValues {
  amount: string
  purpose: string
  category: string
  expectedImpact: string
  version: string
}

export function readRequestForm(
  body: Record<string, unknown> | undefined,
  categories: readonly string[],
): Read<RequestFields & { seenVersion: number | undefined }, RequestValues> {
  const values: RequestValues = {
    amount: text(body?.amount),
    purpose: text(body?.purpose),
    category: text(body?.category),
    expectedImpact: text(body?.expectedImpact),
    version: text(body?.version),
  }
  const problems = new FormProblems()
  const amount = readAmount(values.amount)
  if (!amount.ok) problems.add('amount', amountMessage('the amount requested', amount.error))
  if (values.purpose.trim() === '') problems.add('purpose', 'Enter what the funding will pay for')
  else if (values.purpose.length > TEXT_MAX)
    problems.add('purpose', `What the funding will pay for must be ${TEXT_MAX} characters or fewer`)
  if (!categories.includes(values.category))
    problems.add('category', 'Select the category of spending', 'category')
  if (values.expectedImpact.trim() === '')
    problems.add('expectedImpact', 'Enter the impact the funding is expected to have')
  else if (values.expectedImpact.length > TEXT_MAX)
    problems.add('expectedImpact', `The expected impact must be ${TEXT_MAX} characters or fewer`)
  if (problems.any || !amount.ok) return { ok: false, values, errors: problems.errors }
  const version = /^\d{1,9}$/.test(values.version) ? Number(values.version) : undefined
  return {
    ok: true,
    value: {
      amountPence: amount.value,
      purpose: values.purpose.trim(),
      category: values.category,
      expectedImpact: values.expectedImpact.trim(),
      seenVersion: version,
    },
  }
}

export interface DecisionValues {
  outcome: string
  amount: string
  reason: string
  overAllocationReason: string
  version: string
}

/** The decision form as typed, and what the decision service reads from it. */
export function readDecisionForm(body: Record<string, unknown> | undefined): {
  values: DecisionValues
  decision: DecisionForm
} {
  const values = decisionValues(body)
  return {
    values,
    decision: {
      seenVersion: /^\d{1,9}$/.test(values.version) ? Number(values.version) : -1,
      outcome: values.outcome,
      typedAmount: values.amount,
      reason: values.reason,
      overAllocationReason: values.overAllocationReason,
    },
  }
}

export function decisionValues(body: Record<string, unknown> | undefined): DecisionValues {
  return {
    outcome: text(body?.outcome),
    amount: text(body?.amount),
    reason: text(body?.reason),
    overAllocationReason: text(body?.overAllocationReason),
    version: text(body?.version),
  }
}

export interface BudgetValues {
  allocation: string
  devolved: string
  central: string
  grant: string
}

/** A budget's amounts: each whole pounds and pence, 0 or more. */
export function readBudgetForm(
  body: Record<string, unknown> | undefined,
  year: number,
): Read<Budget, BudgetValues> {
  const values: BudgetValues = {
    allocation: text(body?.allocation),
    devolved: text(body?.devolved),
    central: text(body?.central),
    grant: text(body?.grant),
  }
  const problems = new FormProblems()
  const read = (field: keyof BudgetValues, name: string, maxPence: Pence): Pence => {
    const parsed = parsePounds(values[field], { maxPence })
    if (parsed.ok) return parsed.value
    problems.add(
      field,
      parsed.error.code === 'money.negative'
        ? `${capital(name)} must be £0 or more`
        : amountMessage(name, parsed.error),
    )
    return 0
  }
  const budget: Budget = {
    financialYear: year,
    allocationPerChildPence: read('allocation', 'the allocation per child', 10_000_000),
    devolvedPerTermPence: read('devolved', 'the amount devolved to schools each term', 10_000_000),
    centralPence: read('central', 'the amount held centrally', 100_000_000_000),
    grantReceivedPence: read('grant', 'the grant received', 100_000_000_000),
  }
  if (problems.any) return { ok: false, values, errors: problems.errors }
  return { ok: true, value: budget }
}

export function readYear(value: unknown) {
  return parseFinancialYear(value)
}

export interface ImpactValues {
  outcome: string
  difference: string
}

export function readImpactForm(
  body: Record<string, unknown> | undefined,
): Read<{ outcome: ImpactOutcome; difference: string }, ImpactValues> {
  const values = { outcome: text(body?.outcome), difference: text(body?.difference) }
  const problems = new FormProblems()
  if (!isImpactOutcome(values.outcome))
    problems.add('outcome', 'Select how far the target was achieved')
  if (values.difference.trim() === '')
    problems.add('difference', 'Enter what difference the funding made')
  else if (values.difference.length > TEXT_MAX)
    problems.add(
      'difference',
      `What difference the funding made must be ${TEXT_MAX} characters or fewer`,
    )
  if (problems.any || !isImpactOutcome(values.outcome))
    return { ok: false, values, errors: problems.errors }
  return { ok: true, value: { outcome: values.outcome, difference: values.difference.trim() } }
}

/** A request the service refused (over the budget, ...), on its amount. */
export const requestRefusalErrors = (code: Parameters<typeof requestRefusalText>[0]): FormErrors =>
  formError('amount', requestRefusalText(code))

/** A decision the rules refused, on the field it is about. */
export function decisionErrors(refusal: Refusal<string>): FormErrors {
  const problem = decisionProblem(refusal)
  return formError(problem.field, problem.text)
}

/** A correction the rules refused, on the field it is about. */
export function correctionErrors(refusal: Parameters<typeof correctionProblem>[0]): FormErrors {
  const problem = correctionProblem(refusal)
  return formError(problem.field, problem.text)
}

/** The correction form as typed: the amount and the reason (the rules check them). */
export function correctionValues(body: Record<string, unknown> | undefined) {
  return {
    amount: typeof body?.['amount'] === 'string' ? body['amount'] : '',
    reason: typeof body?.['reason'] === 'string' ? body['reason'] : '',
  }
}

/** Why a payment run is discarded: any words, at most `DISCARD_REASON_MAX` characters. */
export function readDiscardForm(body: Record<string, unknown> | undefined): {
  reason: string
  errors?: FormErrors
} {
  const reason = typeof body?.['reason'] === 'string' ? body['reason'] : ''
  return reason.trim().length > DISCARD_REASON_MAX
    ? { reason, errors: formError('reason', discardReasonTooLong) }
    : { reason }
}

export interface FundingSettingsValues {
  categories: string
  decideBeforeSubmission: boolean
}

/** The funding settings: the categories of spending (one a line, 1 to 30, each at most 100 characters). */
export function readFundingSettingsForm(
  body: Record<string, unknown> | undefined,
): Read<{ categories: string[]; decideBeforeSubmission: boolean }, FundingSettingsValues> {
  const values = {
    categories: text(body?.categories),
    decideBeforeSubmission: text(body?.decideBeforeSubmission) === 'yes',
  }
  const categories = [
    ...new Set(
      values.categories
        .split(/\r?\n/)
        .map((c) => c.trim())
        .filter((c) => c !== ''),
    ),
  ]
  const problems = new FormProblems()
  if (categories.length === 0) problems.add('categories', 'Enter at least one category')
  else if (categories.length > 30) problems.add('categories', 'Enter no more than 30 categories')
  else if (categories.some((c) => c.length > 100))
    problems.add('categories', 'Each category must be 100 characters or fewer')
  if (problems.any) return { ok: false, values, errors: problems.errors }
  return {
    ok: true,
    value: { categories, decideBeforeSubmission: values.decideBeforeSubmission },
  }
}

export interface RunValues {
  from: DateInputValues
  to: DateInputValues
}

/** The period of a payment run: its first and last days, the last on or after the first. */
export function readRunForm(
  body: Record<string, unknown> | undefined,
): Read<{ from: CalendarDate; to: CalendarDate }, RunValues> & { values: RunValues } {
  const from = readDateInput(body, 'from', 'the first day of the period')
  const to = readDateInput(body, 'to', 'the last day of the period')
  const problems = new FormProblems()
  if (!from.ok) problems.add('from', from.error, `from-${from.part}`)
  if (!to.ok) problems.add('to', to.error, `to-${to.part}`)
  if (from.ok && to.ok && from.value > to.value)
    problems.add('to', 'The last day of the period must be on or after the first', 'to-day')
  const values = { from: from.typed, to: to.typed }
  if (problems.any || !from.ok || !to.ok) return { ok: false, values, errors: problems.errors }
  return { ok: true, values, value: { from: from.value, to: to.value } }
}

/** A run refused because every approved amount of its period is already in a run. */
export function runEmptyErrors(): FormErrors {
  const problems = new FormProblems()
  problems.add(
    'from',
    'There is nothing to pay for decisions in this period: every approved amount in it is already in a run',
    'from-day',
  )
  return problems.errors
}

export interface PaidValues {
  paidOn: DateInputValues
  reference: string
}

/** A run marked paid: the date it was paid and the finance team's reference (at most 100 characters). */
export function readPaidForm(
  body: Record<string, unknown> | undefined,
): Read<{ on: CalendarDate; reference: string }, PaidValues> & { values: PaidValues } {
  const paidOn = readDateInput(body, 'paidOn', 'the date it was paid')
  const reference = text(body?.reference).trim()
  const problems = new FormProblems()
  if (!paidOn.ok) problems.add('paidOn', paidOn.error, `paidOn-${paidOn.part}`)
  if (reference === '') problems.add('reference', 'Enter the finance team’s reference')
  else if (reference.length > 100)
    problems.add('reference', 'The reference must be 100 characters or fewer')
  const values = { paidOn: paidOn.typed, reference: text(body?.reference) }
  if (problems.any || !paidOn.ok) return { ok: false, values, errors: problems.errors }
  return { ok: true, values, value: { on: paidOn.value, reference } }
}

/** Marking a run paid refused: the date on its field, a run closed meanwhile on the reference. */
export function paidRefusalErrors(refusal: Refusal<RunClosed | PaidOnRefusal>): FormErrors {
  const problems = new FormProblems()
  const { code } = refusal
  if (code === 'funding.paid-in-future' || code === 'funding.paid-before-run')
    problems.add('paidOn', paidOnText({ ...refusal, code }), 'paidOn-day')
  else problems.add('reference', runRefusalText(code, 'pay'))
  return problems.errors
}
