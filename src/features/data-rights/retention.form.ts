import { formError, type FormErrors } from '../../forms/validation.ts'
import type { Refusal } from '../../shared/result.ts'
import type { PolicyRefusal } from './retention.service.ts'
import { policyProblem } from './data-rights.presenter.ts'

/* The retention period form: what was typed, and the rules' refusal on the field it is about. */

const text = (value: unknown) => (typeof value === 'string' ? value : '')

/** The period as typed (kept to ten characters: the rules say what is wrong with it). */
export function retentionValues(body: Record<string, unknown> | undefined) {
  return {
    yearsAfterCare: text(body?.['yearsAfterCare']).slice(0, 10),
    untilAge: text(body?.['untilAge']).slice(0, 10),
  }
}

export function policyErrors(error: Refusal<PolicyRefusal>): FormErrors {
  const { field, text } = policyProblem(error)
  return formError(field, text)
}
