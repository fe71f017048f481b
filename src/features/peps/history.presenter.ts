import { answerAsText } from '../../forms/display.ts'
import type { Page } from '../../forms/types.ts'
import { formatDateTime } from '../../views/format.ts'
import type { RevisionRow } from './peps.repository.ts'

/**
 * A page's history, newest first: each save with who made it and when, and each answer it
 * changed (before and after), and the answers sent in a conflict but not chosen (with how they
 * differed from the save that was kept), of the questions the reader may read only (the reader's, ADR 10).
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
    // Each save is compared with the save before it; answers not chosen in a conflict with the
    // save they lost to (the last real save up to here), and never become a "before".
    const before = revisions.slice(0, index).findLast((r) => r.kind !== 'not-chosen')?.answers ?? {}
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
      notChosen: revision.kind === 'not-chosen',
      heading:
        revision.kind === 'not-chosen'
          ? `Sent by ${who} but not chosen: the answers saved as version ${revision.version} were kept instead`
          : revision.kind !== 'carried-forward'
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
