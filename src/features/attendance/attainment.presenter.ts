import {
  isBehind,
  levelName,
  SCALE_NAMES,
  subjectsNotMakingProgress,
} from '../../domain/attainment.ts'
import { compareTerms, termLabel, type Term } from '../../domain/terms.ts'
import { formatDateTime } from '../../views/format.ts'
import { paths } from '../../paths.ts'
import type { AttainmentRow } from './attainment.repository.ts'

/*
 * The child's attainment over time: a table per subject, its terms newest first, each entry's
 * earlier versions kept, "behind" where a term is below what is expected, and the subjects not
 * making expected progress in `term` (behind in it and the term before). Levels typed on a PEP's page that lost
 * a conflict are shown beside the term as not chosen, even when nothing is current for it.
 */
export function presentAttainment(rows: readonly AttainmentRow[], term: Term) {
  const current = rows.filter((r) => r.supersededAt === null)
  const notMakingProgress = subjectsNotMakingProgress(current, term)
  const flagged = new Set(notMakingProgress.map((s) => s.toLowerCase()))
  const same = (a: AttainmentRow, subject: string, term: Term) =>
    a.subject.toLowerCase() === subject.toLowerCase() && compareTerms(a.term, term) === 0
  // A subject and term with only not-chosen levels is shown as a term with nothing recorded.
  const unrecorded = rows.filter(
    (r, i) =>
      r.notChosen &&
      !current.some((c) => same(c, r.subject, r.term)) &&
      rows.findIndex((o) => o.notChosen && same(o, r.subject, r.term)) === i,
  )
  const subjects = [...new Set([...current, ...unrecorded].map((r) => r.subject))].sort()
  const recorded = (r: AttainmentRow) =>
    `${r.recordedBy ?? 'OpenPEP'}, ${formatDateTime(r.recordedAt)}`
  return {
    notMakingProgress,
    subjects: subjects.map((subject) => ({
      subject,
      flagged: flagged.has(subject.toLowerCase()),
      rows: [...current, ...unrecorded]
        .filter((r) => r.subject === subject)
        .sort((a, b) => compareTerms(b.term, a.term))
        .map((r) => {
          const isCurrent = r.supersededAt === null
          return {
            term: termLabel(r.term),
            scale: SCALE_NAMES[r.scale],
            workingAt: isCurrent ? levelName(r.scale, r.workingAt) : 'Not recorded',
            expected: isCurrent ? levelName(r.scale, r.expected) : '',
            target: isCurrent ? levelName(r.scale, r.target) : '',
            behind: isCurrent && isBehind(r),
            recorded: isCurrent ? recorded(r) : null,
            earlier: rows
              .filter((o) => o.supersededAt !== null && same(o, r.subject, r.term))
              .map((o) => ({
                label: o.notChosen ? 'Not chosen' : 'Earlier',
                text: `${levelName(o.scale, o.workingAt)}, expected ${levelName(o.scale, o.expected)}${o.target ? `, target ${levelName(o.scale, o.target)}` : ''} (${recorded(o)})`,
              })),
          }
        }),
    })),
  }
}

/**
 * Progress on the child's record (issue 19): the subjects not making expected progress this term
 * (behind in it and the term before), flagged as on the Virtual School's lists, and the way to
 * the attainment over time.
 */
export function presentProgressOnRecord(childId: string, subjects: readonly string[]) {
  return {
    text:
      subjects.length > 0
        ? `Behind what is expected for two terms running in ${subjects.join(', ')}`
        : 'No subject behind what is expected for two terms running',
    flag:
      subjects.length > 0
        ? { text: 'Not making expected progress', classes: 'govuk-tag--red' }
        : null,
    href: paths.children.attainment(childId),
  }
}
