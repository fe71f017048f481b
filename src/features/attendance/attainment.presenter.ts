import {
  isBehind,
  levelName,
  SCALE_NAMES,
  subjectsNotMakingProgress,
} from '../../domain/attainment.ts'
import { compareTerms, termLabel } from '../../domain/terms.ts'
import { formatDateTime } from '../../views/format.ts'
import type { AttainmentRow } from './attainment.repository.ts'

/*
 * The child's attainment over time: a table per subject, its terms newest first, each entry's
 * earlier versions kept, "behind" where a term is below what is expected, and the subjects not
 * making expected progress (behind for two terms running).
 */
export function presentAttainment(rows: readonly AttainmentRow[]) {
  const current = rows.filter((r) => r.supersededAt === null)
  const notMakingProgress = subjectsNotMakingProgress(current)
  const subjects = [...new Set(current.map((r) => r.subject))].sort()
  return {
    notMakingProgress,
    subjects: subjects.map((subject) => ({
      subject,
      flagged: notMakingProgress.includes(subject),
      rows: current
        .filter((r) => r.subject === subject)
        .sort((a, b) => compareTerms(b.term, a.term))
        .map((r) => ({
          term: termLabel(r.term),
          scale: SCALE_NAMES[r.scale],
          workingAt: levelName(r.scale, r.workingAt),
          expected: levelName(r.scale, r.expected),
          target: levelName(r.scale, r.target),
          behind: isBehind(r),
          recorded: `${r.recordedBy ?? 'OpenPEP'}, ${formatDateTime(r.recordedAt)}`,
          earlier: rows
            .filter(
              (o) =>
                o.supersededAt !== null &&
                o.subject.toLowerCase() === r.subject.toLowerCase() &&
                compareTerms(o.term, r.term) === 0,
            )
            .map(
              (o) =>
                `${levelName(o.scale, o.workingAt)}, expected ${levelName(o.scale, o.expected)} (${o.recordedBy ?? 'OpenPEP'}, ${formatDateTime(o.recordedAt)})`,
            ),
        })),
    })),
  }
}
