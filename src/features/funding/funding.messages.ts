import type { AmountRefusal, CorrectionRefusal, PaidOnRefusal } from '../../domain/funding.ts'
import { formatDate } from '../../views/format.ts'
import { formatPence } from '../../domain/money.ts'
import type { Refusal } from '../../shared/result.ts'
import type { RequestRefusal } from './funding.service.ts'
import type { RunClosed } from './payments.service.ts'

/*
 * The words for Pupil Premium Plus refusals (ADR 7: services and rules answer with codes and
 * parameters; the words a person reads are written once, here, and the forms and pages say them).
 */

/** A payment run paid or discarded by someone else while this form was open. */
export function runRefusalText(code: RunClosed, doing: 'pay' | 'discard'): string {
  switch (code) {
    case 'funding.run-already-paid':
      return doing === 'pay'
        ? 'This run has already been marked paid'
        : 'This run has been marked paid, so it cannot be discarded'
    case 'funding.run-discarded':
      return doing === 'pay'
        ? 'This run has been discarded, so it cannot be marked paid'
        : 'This run has already been discarded'
  }
}

/** The words for a paid date the rule refused, naming the field (`checkPaidOn`). */
export function paidOnText(refusal: Refusal<PaidOnRefusal>): string {
  switch (refusal.code) {
    case 'funding.paid-in-future':
      return 'The date it was paid must be today or in the past'
    case 'funding.paid-before-run':
      return `The date it was paid must be on or after ${formatDate(String(refusal.params?.madeOn ?? ''))}, the day the run was made`
  }
}

export const DISCARD_REASON_MAX = 500

export const discardReasonTooLong = `The reason must be ${DISCARD_REASON_MAX} characters or fewer`

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

export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

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

/** The words for a refused correction, on its field. */
export function correctionProblem(refusal: Refusal<CorrectionRefusal>): {
  field: string
  text: string
} {
  switch (refusal.code) {
    case 'funding.reason-needed':
      return { field: 'correctionReason', text: 'Enter the reason for the correction' }
    case 'funding.correction-too-large':
      return {
        field: 'correctionAmount',
        text: `The correction must be no more than the ${formatPence(Number(refusal.params?.paidPence ?? 0))} paid`,
      }
    default:
      return { field: 'correctionAmount', text: amountMessage('the amount to take back', refusal) }
  }
}

/** The words for a request that could not be saved. */
export function requestRefusalText(code: RequestRefusal): string {
  return code === 'funding.already-decided'
    ? 'The Virtual School has decided on this request: it can no longer be changed'
    : 'Someone else saved this request while you had it open: check it and save again'
}
