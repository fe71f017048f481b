import { FormProblems, type FormErrors } from '../../forms/validation.ts'

/* Recording the young person's views on their behalf (issue 20): how they were gathered. */

export const HOW_GATHERED_MAX_LENGTH = 1000

export type ReadOnBehalf =
  | { ok: true; value: { howGathered: string } }
  | { ok: false; values: { howGathered: string }; errors: FormErrors }

export function readOnBehalfForm(body: Record<string, unknown> | undefined): ReadOnBehalf {
  const howGathered = typeof body?.['howGathered'] === 'string' ? body['howGathered'] : ''
  const problems = new FormProblems()
  if (howGathered.trim() === '')
    problems.add(
      'howGathered',
      'Enter how you gathered their views, for example "talked with them at school"',
    )
  else if (howGathered.length > HOW_GATHERED_MAX_LENGTH)
    problems.add(
      'howGathered',
      `How you gathered their views must be ${HOW_GATHERED_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`,
    )
  if (problems.any) return { ok: false, values: { howGathered }, errors: problems.errors }
  return { ok: true, value: { howGathered } }
}
