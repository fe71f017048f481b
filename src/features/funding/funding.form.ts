import {
  isImpactOutcome,
  parseFinancialYear,
  readAmount,
  type AmountRefusal,
  type ImpactOutcome,
} from '../../domain/funding.ts'
import { formatPence, parsePounds, type Pence } from '../../domain/money.ts'
import type { Refusal } from '../../shared/result.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import type { Budget } from './funding.repository.ts'
import type { RequestFields } from './funding.service.ts'

/* The forms of Pupil Premium Plus: read field by field, with every message naming its field. */

export const TEXT_MAX = 2000
const text = (value: unknown) => (typeof value === 'string' ? value : '')

export type Read<T, V> = { ok: true; value: T } | { ok: false; values: V; errors: FormErrors }

/** The words for an amount's refusal, naming the field. */
export function amountMessage(name: string, refusal: Refusal<string>): string {
  switch (refusal.code as AmountRefusal | 'funding.part-not-less') {
    case 'money.empty':
      return `Enter ${name}`
    case 'money.negative':
    case 'funding.amount-zero':
      return `${capital(name)} must be more than £0`
    case 'money.too-many-decimals':
      return `${capital(name)} must be in pounds and pence, with no more than 2 decimal places`
    case 'money.over-maximum':
      return `${capital(name)} must be ${formatPence(Number(refusal.params?.maxPence ?? 0), { dropZeroPence: true })} or less`
    case 'funding.part-not-less':
      return `${capital(name)} must be less than the ${formatPence(Number(refusal.params?.requestedPence ?? 0))} requested; to give it all, choose "Approve"`
    default:
      return `${capital(name)} must be an amount of money, like £250 or £1,234.50`
  }
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

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

export function decisionValues(body: Record<string, unknown> | undefined): DecisionValues {
  return {
    outcome: text(body?.outcome),
    amount: text(body?.amount),
    reason: text(body?.reason),
    overAllocationReason: text(body?.overAllocationReason),
    version: text(body?.version),
  }
}

/** The words for a refused decision, on the field it concerns. */
export function decisionProblem(refusal: Refusal<string>): { field: string; text: string } {
  const params = refusal.params ?? {}
  switch (refusal.code) {
    case 'funding.outcome-needed':
      return {
        field: 'outcome',
        text: 'Select whether to approve, approve a smaller amount or decline',
      }
    case 'funding.requester-cannot-decide':
      return {
        field: 'outcome',
        text: 'You requested this funding, so someone else must decide on it',
      }
    case 'funding.reason-needed':
      return {
        field: 'reason',
        text: 'Enter the reason, which the school and social worker will see',
      }
    case 'funding.no-budget':
      return {
        field: 'outcome',
        text: 'Set the budget for this financial year before approving funding',
      }
    case 'funding.over-allocation':
      return {
        field: 'outcome',
        text: `This would take the child past their allocation of ${formatPence(Number(params.allocationPence))} for the year (${formatPence(Number(params.remainingPence))} left): a Virtual School head must approve it, with a reason`,
      }
    case 'funding.head-reason-needed':
      return {
        field: 'overAllocationReason',
        text: `Enter why the child may go past their allocation of ${formatPence(Number(params.allocationPence))} for the year`,
      }
    case 'funding.changed-meanwhile':
      return {
        field: 'outcome',
        text: 'Someone else changed or decided on this request while you had it open: check it and decide again',
      }
    case 'funding.not-yet-with-virtual-school':
      return {
        field: 'outcome',
        text: 'The PEP has not reached the Virtual School yet: decide once it is submitted',
      }
    default:
      return { field: 'amount', text: amountMessage('the amount approved', refusal) }
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
