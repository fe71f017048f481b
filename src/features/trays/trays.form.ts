import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import type { Colleague } from './trays.repository.ts'

/* The two forms of a group task's page: release it, and reassign it to a colleague. */

export const COMMENT_MAX_LENGTH = 2000

const text = (value: unknown) => (typeof value === 'string' ? value : '')

const tooLong = `The comment must be ${COMMENT_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`

export type Read<T, V> = { ok: true; value: T } | { ok: false; values: V; errors: FormErrors }

/** Releasing: an optional comment, kept as typed (blank is none). */
export function readReleaseForm(
  body: { comment?: unknown } | undefined,
): Read<{ comment: string | null }, { comment: string }> {
  const values = { comment: text(body?.comment) }
  const problems = new FormProblems()
  if (values.comment.length > COMMENT_MAX_LENGTH)
    problems.add('comment', tooLong, 'release-comment')
  if (problems.any) return { ok: false, values, errors: problems.errors }
  return { ok: true, value: { comment: values.comment.trim() || null } }
}

/** Reassigning: one of the colleagues offered, and a comment for them. */
export function readReassignForm(
  body: { person?: unknown; comment?: unknown } | undefined,
  colleagues: readonly Colleague[],
): Read<{ to: Colleague; comment: string }, { person: string; comment: string }> {
  const values = { person: text(body?.person), comment: text(body?.comment) }
  const to = colleagues.find((c) => c.id === values.person)
  const problems = new FormProblems()
  if (!to) problems.add('person', 'Select the person to reassign the task to')
  if (values.comment.trim() === '')
    problems.add('comment', 'Enter a comment for the person you reassign it to', 'reassign-comment')
  else if (values.comment.length > COMMENT_MAX_LENGTH)
    problems.add('comment', tooLong, 'reassign-comment')
  if (!to || problems.any) return { ok: false, values, errors: problems.errors }
  return { ok: true, value: { to, comment: values.comment.trim() } }
}
