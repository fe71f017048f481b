import type { Queryable } from '../../db/connection.ts'
import {
  levelName,
  SCALE_NAMES,
  subjectsNotMakingProgress,
  type AttainmentScale,
} from '../../domain/attainment.ts'
import { canAct } from '../../domain/permissions.ts'
import type { Role } from '../../domain/roles.ts'
import { compareTerms, previousTerm, termLabel, type Term } from '../../domain/terms.ts'
import { mayReadPart } from '../../domain/visibility.ts'
import type { DisplayAnswer } from '../../forms/display.ts'
import { holdsAttainmentTable } from '../../forms/templates/attainment-history.ts'
import type { Page } from '../../forms/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { formatDateTime } from '../../views/format.ts'
import { levelItems } from './attainment.form.ts'
import { listAttainment, type AttainmentRow } from './attainment.repository.ts'
import {
  field,
  readPepAttainment,
  sameSubject,
  scaleOfPep,
  showsAttainmentHistory,
  termOfPep,
  type PepForAttainment,
  type TypedPepAttainment,
} from './pep-attainment.form.ts'
import { presentStatutory } from './statutory.form.ts'
import { listStatutoryResults } from './statutory.repository.ts'

/*
 * The PEP's attainment page reads and writes the child's termly attainment (issue 19): for the
 * PEP's term, each subject's working at, expected by the end of the year and target, on the scale
 * of the PEP's key stage, with the last terms beside it and the statutory results read-only. What
 * is entered here is the record's history (nothing is typed twice); it is saved with the page.
 */

/** The earlier terms shown beside the PEP's. */
const EARLIER_TERMS = 3

/** The subjects always offered, by scale; any other recorded lately is offered too. */
const CORE_SUBJECTS: Record<AttainmentScale, readonly string[]> = {
  'early-years': [
    'Communication and language',
    'Personal, social and emotional development',
    'Mathematics',
  ],
  primary: ['Reading', 'Writing', 'Mathematics'],
  gcse: ['English', 'Mathematics', 'Science'],
  'post-16': ['English', 'Mathematics'],
}

/** The subjects the page offers: the core ones of the scale, then any recorded in the terms shown. */
function subjectsOf(scale: AttainmentScale, current: readonly AttainmentRow[], terms: Term[]) {
  const subjects = [...CORE_SUBJECTS[scale]]
  const recorded = current
    .filter((r) => terms.some((t) => compareTerms(t, r.term) === 0))
    .map((r) => r.subject)
    .sort()
  for (const s of recorded) if (!subjects.some((x) => sameSubject(x, s))) subjects.push(s)
  return subjects
}

/**
 * The history block of the page, for a reader who may read the child's education: the PEP's
 * term with the last terms beside it, each subject's fields when they may record it, and the
 * statutory results. `typed` is what was sent, shown again with a refusal.
 */
export async function pepAttainmentView(
  db: Queryable,
  on: { page: Page; pep: PepForAttainment; role: Role | null; editable: boolean },
  form: { typed?: readonly TypedPepAttainment[]; errors?: FormErrors; refreshSeen?: boolean } = {},
) {
  const { pep, ...reader } = on
  const scale = scaleOfPep(pep)
  if (!showsAttainmentHistory(on.page) || !scale || !mayReadPart(reader.role, 'education'))
    return null
  const term = termOfPep(pep)
  const earlierTerms: Term[] = []
  for (let t = term; earlierTerms.length < EARLIER_TERMS;)
    earlierTerms.unshift((t = previousTerm(t)))
  const rows = await listAttainment(db, pep.childId)
  const current = rows.filter((r) => r.supersededAt === null)
  const entryOf = (subject: string, t: Term) =>
    current.find((r) => sameSubject(r.subject, subject) && compareTerms(r.term, t) === 0)
  const flagged = new Set(subjectsNotMakingProgress(current, term).map((s) => s.toLowerCase()))
  // Levels typed here that lost a conflict (issue 19): shown under this term, never current.
  const notChosen = rows.filter((r) => r.notChosen && compareTerms(r.term, term) === 0)
  const subjects = subjectsOf(scale, [...current, ...notChosen], [...earlierTerms, term])
  const editable =
    reader.editable && canAct(reader.role ? [reader.role] : [], 'child.education.record')
  const typedOf = (subject: string) => form.typed?.find((t) => sameSubject(t.subject, subject))
  const error = (name: string) => form.errors?.fields[name]
  const levels = (e: AttainmentRow | undefined) => ({
    workingAt: e ? levelName(e.scale, e.workingAt) : 'Not recorded',
    expected: e ? levelName(e.scale, e.expected) : '',
    target: e ? levelName(e.scale, e.target) : '',
  })
  const statutory = presentStatutory(
    await listStatutoryResults(db, pep.childId),
    (r) => `${r.recordedBy ?? 'OpenPEP'}, ${formatDateTime(r.recordedAt)}`,
  )
  const typedNew = form.typed?.find((t) => !subjects.some((s) => sameSubject(s, t.subject)))
  return {
    term: termLabel(term),
    scaleName: SCALE_NAMES[scale],
    editable,
    earlierTerms: earlierTerms.map(termLabel),
    subjects: subjects.map((subject, i) => {
      const now = entryOf(subject, term)
      const typed = typedOf(subject)
      const chosen = (name: 'workingAt' | 'expected' | 'target') =>
        typed ? typed[name] : now && now.scale === scale ? (now[name] ?? '') : ''
      return {
        subject,
        flagged: flagged.has(subject.toLowerCase()),
        earlier: earlierTerms.map((t) => ({ term: termLabel(t), ...levels(entryOf(subject, t)) })),
        now: levels(now),
        notChosen: notChosen
          .filter((r) => sameSubject(r.subject, subject))
          .map((r) => {
            const l = levels(r)
            return `${l.workingAt}, expected ${l.expected}${r.target ? `, target ${l.target}` : ''} (${r.recordedBy ?? 'OpenPEP'}, ${formatDateTime(r.recordedAt)})`
          }),
        fields: {
          subject: field(i, 'subject'),
          seen: {
            name: field(i, 'seen'),
            value: typed && !form.refreshSeen ? typed.seen : (now?.id ?? ''),
          },
          ...Object.fromEntries(
            (['workingAt', 'expected', 'target'] as const).map((name) => [
              name,
              {
                name: field(i, name),
                items: levelItems(
                  scale,
                  chosen(name),
                  name === 'target' ? 'No target' : 'Not recorded',
                ),
                error: error(field(i, name)),
              },
            ]),
          ),
        },
      }
    }),
    another: editable
      ? {
          subject: {
            name: field(subjects.length, 'subject'),
            value: typedNew?.subject ?? '',
            error: error(field(subjects.length, 'subject')),
          },
          index: subjects.length,
          ...Object.fromEntries(
            (['workingAt', 'expected', 'target'] as const).map((name) => [
              name,
              {
                name: field(subjects.length, name),
                items: levelItems(
                  scale,
                  typedNew?.[name] ?? '',
                  name === 'target' ? 'No target' : 'Not recorded',
                ),
                error: error(field(subjects.length, name)),
              },
            ]),
          ),
        }
      : null,
    statutory,
    statutoryLinks: [],
  }
}

/**
 * The conflict page of the attainment page (issue 19): each subject whose levels, as typed, differ
 * from what is on the record for the PEP's term now, with both. Whichever answers are kept, these
 * are not lost: kept in the child's history as not chosen when the other save is kept.
 */
export async function conflictLevels(
  db: Queryable,
  on: { page: Page; pep: PepForAttainment },
  role: Role | null,
  body: Record<string, unknown>,
): Promise<{ subject: string; theirs: string; mine: string }[]> {
  const read = readPepAttainment(on.page, on.pep, role, body)
  if (!read?.ok || read.value.rows.length === 0) return []
  const term = read.value.term
  const current = (await listAttainment(db, on.pep.childId)).filter(
    (r) => r.supersededAt === null && compareTerms(r.term, term) === 0,
  )
  const words = (e: Pick<AttainmentRow, 'scale' | 'workingAt' | 'expected' | 'target'>) =>
    `${levelName(e.scale, e.workingAt)}, expected ${levelName(e.scale, e.expected)}${e.target ? `, target ${levelName(e.scale, e.target)}` : ''}`
  return read.value.rows.flatMap(({ entry }) => {
    const now = current.find((r) => sameSubject(r.subject, entry.subject))
    const mine = words(entry)
    const theirs = now ? words(now) : 'Not recorded'
    return theirs === mine
      ? []
      : [{ subject: `${entry.subject}, ${termLabel(term)}`, theirs, mine }]
  })
}

/** What the PEP read whole shows of the term's attainment, and what its blank form offers. */
const TERM_ATTAINMENT_LABEL = "Each subject's attainment this term, on the child's record"

/**
 * The PEP read whole (its print view and PDF): the attainment page carries each subject's levels
 * for the PEP's term from the child's record, first among its answers, since from version 2 of
 * the forms the record is the one place they are written (issue 19). Only for a reader who may
 * read the child's education; otherwise the sections as they were.
 */
export async function withTermAttainment<
  S extends { pages: { id: string; answers: { label: string; answer: DisplayAnswer }[] }[] },
>(db: Queryable, pep: PepForAttainment, role: Role | null, sections: S[]): Promise<S[]> {
  const scale = scaleOfPep(pep)
  const has = sections.some((s) => s.pages.some((p) => holdsAttainmentTable(p.id)))
  if (!has || !scale || !mayReadPart(role, 'education')) return sections
  const term = termOfPep(pep)
  const entries = (await listAttainment(db, pep.childId))
    .filter((r) => r.supersededAt === null && compareTerms(r.term, term) === 0)
    .sort((a, b) => a.subject.localeCompare(b.subject))
  const answer: DisplayAnswer =
    entries.length === 0
      ? { kind: 'text', text: `Nothing recorded for ${termLabel(term)}` }
      : {
          kind: 'list',
          items: entries.map(
            (e) =>
              `${e.subject}: working at ${levelName(e.scale, e.workingAt)}, expected ${levelName(e.scale, e.expected)}${e.target ? `, target ${levelName(e.scale, e.target)}` : ''}`,
          ),
        }
  const label = `${TERM_ATTAINMENT_LABEL} (${termLabel(term)})`
  return sections.map((s) => ({
    ...s,
    pages: s.pages.map((p) =>
      holdsAttainmentTable(p.id) ? { ...p, answers: [{ label, answer }, ...p.answers] } : p,
    ),
  }))
}

/** The blank form's table for the term's attainment, on the attainment page. */
export const blankTermAttainment = (page: Page) =>
  showsAttainmentHistory(page)
    ? [
        {
          label: TERM_ATTAINMENT_LABEL,
          answer: {
            kind: 'grid' as const,
            itemName: 'subject',
            columns: ['Subject', 'Working at', 'Expected by the end of the year', 'Target'],
            rows: 6,
          },
        },
      ]
    : []
