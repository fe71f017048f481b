import { formatDate } from '../../views/format.ts'
import type { Refusal } from '../../shared/result.ts'
import type { ChildRetention, ErasureRefusal, PolicyRefusal } from './retention.service.ts'
import type { RetentionPolicy } from '../../domain/retention.ts'

/** The data rights pages' titles (ADR 7: titles from the presenter). */
export const dataRightsTitles = {
  child: (child: { firstName: string; lastName: string }) =>
    `Data rights – ${child.firstName} ${child.lastName}`,
  retention: 'Retention: records past their date',
}

/** The authority's rule in words. */
export function policyWords(policy: RetentionPolicy | undefined): string {
  if (!policy) return 'No retention period is set: records are kept.'
  const parts = [
    policy.yearsAfterCare !== null &&
      `${policy.yearsAfterCare} year${policy.yearsAfterCare === 1 ? '' : 's'} after the child leaves care`,
    policy.untilAge !== null && `until the ${ordinal(policy.untilAge)} birthday`,
  ].filter(Boolean)
  return `Records are kept ${parts.join(', or ')}${parts.length > 1 ? ', whichever is later' : ''}.`
}

function ordinal(n: number): string {
  const tens = n % 100
  const suffix =
    tens >= 11 && tens <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as const)[n % 10] ?? 'th')
  return `${n}${suffix}`
}

/** What a child's data rights page says about how long the record is kept. */
export function retentionWords(retention: ChildRetention) {
  return {
    policy: policyWords(retention.policy),
    keepUntil: retention.keepUntil
      ? `This record is kept until ${formatDate(retention.keepUntil)}.`
      : retention.policy
        ? 'This record is kept while the child is in care.'
        : null,
    listed: retention.listed
      ? retention.proposedByName
        ? `It is past its date: ${retention.proposedByName} has proposed erasing it; another administrator must confirm.`
        : 'It is past its date and waits for review.'
      : null,
  }
}

const POLICY_PROBLEMS: Record<
  PolicyRefusal,
  { field: string; text: (p: Refusal['params']) => string }
> = {
  years_after_care_invalid: {
    field: 'yearsAfterCare',
    text: (p) =>
      `Years after leaving care must be a whole number from ${p?.['min']} to ${p?.['max']}`,
  },
  until_age_invalid: {
    field: 'untilAge',
    text: (p) => `The age must be a whole number from ${p?.['min']} to ${p?.['max']}`,
  },
  nothing_set: {
    field: 'yearsAfterCare',
    text: () => 'Enter years after leaving care, an age, or both',
  },
}

/** A refused rule as the field it is about and its sentence. */
export function policyProblem(error: Refusal<PolicyRefusal>) {
  const problem = POLICY_PROBLEMS[error.code]
  return { field: problem.field, text: problem.text(error.params) }
}

const ERASURE_WORDS: Record<ErasureRefusal, string> = {
  not_found: 'There is no such record.',
  not_listed: 'This record is not on the list of records past their date.',
  already_proposed: 'Erasing this record has already been proposed.',
  not_proposed: 'Nobody has proposed erasing this record yet.',
  same_administrator: 'You proposed erasing this record: another administrator must confirm it.',
  not_due: 'This record is no longer past its date under the authority’s retention period.',
}

export const erasureRefusalWords = (code: ErasureRefusal): string => ERASURE_WORDS[code]
