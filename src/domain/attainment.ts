import { compareTerms, previousTerm, type Term } from './terms.ts'
import type { KeyStage } from './year-group.ts'

/*
 * Attainment over time (issue 19): per subject per term, where the child is working, where they
 * are expected to be by the end of the school year, and the target, each on the scale that fits
 * their key stage. "Not making expected progress" is a subject behind its expectation in each of
 * its two latest terms, one straight after the other. Pure: no database, no clock.
 */

/** Each scale's levels, lowest first, with their words. */
export const ATTAINMENT_SCALES = {
  'early-years': [
    ['emerging', 'Emerging'],
    ['expected', 'Expected (early learning goal met)'],
    ['exceeding', 'Exceeding'],
  ],
  primary: [
    ['pre-key-stage', 'Pre-key stage standards'],
    ['working-towards', 'Working towards the expected standard'],
    ['expected', 'Working at the expected standard'],
    ['greater-depth', 'Working at greater depth'],
  ],
  gcse: [
    ['U', 'U'],
    ...(['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const).map(
      (g) => [g, `Grade ${g}`] as const,
    ),
  ],
  'post-16': [
    ['U', 'U (ungraded)'],
    ['E', 'E (or Pass)'],
    ['D', 'D'],
    ['C', 'C (or Merit)'],
    ['B', 'B'],
    ['A', 'A (or Distinction)'],
    ['A*', 'A* (or Distinction*)'],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>

export type AttainmentScale = keyof typeof ATTAINMENT_SCALES

export const SCALE_NAMES: Record<AttainmentScale, string> = {
  'early-years': 'Early years goals',
  primary: 'Primary standards',
  gcse: 'GCSE grades 9 to 1 (and equivalents)',
  'post-16': 'Post-16 qualification grades',
}

export const isScale = (value: unknown): value is AttainmentScale =>
  typeof value === 'string' && Object.hasOwn(ATTAINMENT_SCALES, value)

/** The scale for a key stage: early years goals, primary standards, GCSE grades, post-16 grades. */
export function scaleFor(keyStage: KeyStage): AttainmentScale {
  if (keyStage === 'EYFS') return 'early-years'
  if (keyStage === 'KS1' || keyStage === 'KS2') return 'primary'
  if (keyStage === 'KS3' || keyStage === 'KS4') return 'gcse'
  return 'post-16'
}

/** A level's place on its scale (0 the lowest), or -1 when it is not on it. */
export function rank(scale: AttainmentScale, level: string): number {
  return (ATTAINMENT_SCALES[scale] as readonly (readonly [string, string])[]).findIndex(
    ([value]) => value === level,
  )
}

export function levelName(scale: AttainmentScale, level: string | null): string {
  if (level === null) return 'Not set'
  const found = (ATTAINMENT_SCALES[scale] as readonly (readonly [string, string])[]).find(
    ([value]) => value === level,
  )
  return found ? found[1] : level
}

export interface AttainmentEntry {
  subject: string
  term: Term
  scale: AttainmentScale
  workingAt: string
  expected: string
  target: string | null
}

/** Behind: working below what is expected by the end of the year, on the same scale. */
export const isBehind = (e: Pick<AttainmentEntry, 'scale' | 'workingAt' | 'expected'>) =>
  rank(e.scale, e.workingAt) < rank(e.scale, e.expected)

/**
 * The subjects not making expected progress as of a term: the subject's two latest terms up to
 * it are one straight after the other, behind their expectation both times, and the later of
 * them is this term or, while this term's levels are not in yet, the one before. So one term
 * behind is not enough; a term with no entry between two behind is no data, not two terms
 * behind; a subject caught up this term is clear; and levels of long ago flag nothing. Each entry
 * is measured on its own scale, so a child who moved key stage between the two terms is behind
 * when each term is behind on its own scale. Subjects match whatever their case, named as in
 * their latest term. Entries are the current ones, one per subject and term. The lists ask the
 * same in SQL (subjectsBehindTwoTerms in src/shared/cohort-filter.ts); tests hold the two to
 * the same answers.
 */
export function subjectsNotMakingProgress(
  entries: readonly AttainmentEntry[],
  term: Term,
): string[] {
  const before = previousTerm(term)
  const at = (subject: string, t: Term) =>
    entries.find((e) => e.subject.toLowerCase() === subject && compareTerms(e.term, t) === 0)
  const flagged = new Set<string>()
  for (const subject of new Set(entries.map((e) => e.subject.toLowerCase()))) {
    const latest = at(subject, term) ?? at(subject, before)
    if (!latest) continue
    const second = at(subject, previousTerm(latest.term))
    if (second && isBehind(latest) && isBehind(second)) flagged.add(latest.subject)
  }
  return [...flagged].sort()
}

export const SUBJECTS = [
  'Reading',
  'Writing',
  'Mathematics',
  'English',
  'Science',
  'Communication and language',
  'Personal, social and emotional development',
] as const

export type AttainmentCode =
  | 'attainment.subject-missing'
  | 'attainment.subject-too-long'
  | 'attainment.term-missing'
  | 'attainment.level-missing'
  | 'attainment.level-not-on-scale'

export interface AttainmentProblem {
  field: 'subject' | 'term' | 'workingAt' | 'expected' | 'target'
  code: AttainmentCode
}

export const SUBJECT_MAX_LENGTH = 80

/** Checks an entry: a subject, a term, working at and expected on the scale, target optional. */
export function checkAttainment(input: {
  subject: string
  term: Term | undefined
  scale: AttainmentScale
  workingAt: string
  expected: string
  target: string
}): { ok: true; value: AttainmentEntry } | { ok: false; problems: AttainmentProblem[] } {
  const problems: AttainmentProblem[] = []
  const subject = input.subject.trim()
  if (subject === '') problems.push({ field: 'subject', code: 'attainment.subject-missing' })
  else if (subject.length > SUBJECT_MAX_LENGTH)
    problems.push({ field: 'subject', code: 'attainment.subject-too-long' })
  if (!input.term) problems.push({ field: 'term', code: 'attainment.term-missing' })
  for (const field of ['workingAt', 'expected', 'target'] as const) {
    const level = input[field]
    if (level === '') {
      if (field !== 'target') problems.push({ field, code: 'attainment.level-missing' })
    } else if (rank(input.scale, level) < 0)
      problems.push({ field, code: 'attainment.level-not-on-scale' })
  }
  if (problems.length > 0 || !input.term) return { ok: false, problems }
  return {
    ok: true,
    value: {
      subject,
      term: input.term,
      scale: input.scale,
      workingAt: input.workingAt,
      expected: input.expected,
      target: input.target === '' ? null : input.target,
    },
  }
}
