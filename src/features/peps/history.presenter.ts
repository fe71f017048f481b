import { answerAsText } from '../../forms/display.ts'
import type { Page } from '../../forms/types.ts'
import { formatDateTime } from '../../views/format.ts'
import type { RevisionRow } from './peps.repository.ts'

/**
 * A page's history, newest first: each save with who made it and when, and each answer it
 * changed (before and after), of the questions the reader may read only (the reader's, ADR 10).
 * With `questionId`, only the saves that changed that answer.
 */
export function historyModel(
  readable: Pick<Page, 'questions'>,
  revisions: readonly RevisionRow[],
  questionId?: string,
) {
  const questions = questionId
    ? readable.questions.filter((q) => q.id === questionId)
    : readable.questions
  const entries = revisions.map((revision, index) => {
    const before = revisions[index - 1]?.answers ?? {}
    const changes = questions
      .map((q) => ({
        label: q.label,
        before: answerAsText(q, before[q.id]),
        after: answerAsText(q, revision.answers[q.id]),
      }))
      .filter((c) => c.before !== c.after)
    const who = revision.savedByName ?? 'Someone'
    return {
      version: revision.version,
      heading:
        revision.kind !== 'carried-forward'
          ? `Saved by ${who}`
          : revision.savedByName
            ? `Carried forward from the last PEP when ${who} started this one`
            : 'Carried forward from the last PEP when OpenPEP started this one at the start of term',
      when: formatDateTime(revision.savedAt),
      changes,
    }
  })
  return entries.filter((e) => e.changes.length > 0).reverse()
}
