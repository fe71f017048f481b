/*
 * The statutory results of a child's schooling (issue 19): the phonics screening check (in Year
 * 1, retaken in Year 2: a mark out of 40 against the threshold set that year, 32 since 2012),
 * the key stage 2 tests (reading, maths, and grammar, punctuation and spelling as scaled scores
 * from 80 to 120; writing as the teacher's assessment) and GCSE grades (9 to 1, or U), with the
 * GCSE's common equivalents. A result is entered once and corrected, never changed: the
 * earlier one is kept. Rules answer codes; their words are the form's. Pure.
 */

export const STATUTORY_KINDS = ['phonics', 'ks2', 'gcse'] as const
export type StatutoryKind = (typeof STATUTORY_KINDS)[number]

export const PHONICS_MAX_MARK = 40
export const KS2_MIN_SCORE = 80
export const KS2_MAX_SCORE = 120
/** The key stage 2 expected standard: a scaled score of 100 or more. */
export const KS2_EXPECTED_SCORE = 100

export const KS2_TESTS = {
  reading: 'Reading',
  maths: 'Mathematics',
  gps: 'Grammar, punctuation and spelling',
} as const
export const KS2_WRITING = {
  wts: 'Working towards the expected standard',
  exs: 'Working at the expected standard',
  gds: 'Working at greater depth',
} as const
/** GCSE grades, and the equivalents the Virtual School sees most (entry level, a pass/fail). */
export const GCSE_GRADES = {
  '9': '9',
  '8': '8',
  '7': '7',
  '6': '6',
  '5': '5',
  '4': '4',
  '3': '3',
  '2': '2',
  '1': '1',
  U: 'U (ungraded)',
  X: 'X (absent or no result)',
} as const

export type StatutoryResult =
  | { kind: 'phonics'; academicYear: number; retake: boolean; mark: number; threshold: number }
  | { kind: 'ks2'; academicYear: number; subject: keyof typeof KS2_TESTS; scaledScore: number }
  | { kind: 'ks2'; academicYear: number; subject: 'writing'; assessment: keyof typeof KS2_WRITING }
  | { kind: 'gcse'; academicYear: number; subject: string; grade: keyof typeof GCSE_GRADES }

export interface TypedStatutoryResult {
  kind: string
  academicYear: string
  retake: string
  mark: string
  threshold: string
  subject: string
  score: string
  grade: string
}

export type StatutoryField = keyof TypedStatutoryResult

export type StatutoryCode =
  | 'statutory.kind-missing'
  | 'statutory.year-missing'
  | 'statutory.year-invalid'
  | 'statutory.mark-missing'
  | 'statutory.mark-not-whole'
  | 'statutory.mark-out-of-range'
  | 'statutory.threshold-missing'
  | 'statutory.threshold-not-whole'
  | 'statutory.threshold-out-of-range'
  | 'statutory.subject-missing'
  | 'statutory.subject-too-long'
  | 'statutory.score-missing'
  | 'statutory.score-not-whole'
  | 'statutory.score-out-of-range'
  | 'statutory.grade-missing'

export interface StatutoryProblem {
  field: StatutoryField
  code: StatutoryCode
  params?: Readonly<Record<string, string | number>>
}

export const SUBJECT_MAX_LENGTH = 100

const whole = (text: string) => /^\d{1,6}$/.test(text.trim())
const has = <T extends object>(o: T, k: string): k is Extract<keyof T, string> =>
  Object.hasOwn(o, k)

function wholeIn(
  text: string,
  field: StatutoryField,
  min: number,
  max: number,
  codes: [StatutoryCode, StatutoryCode, StatutoryCode],
  problems: StatutoryProblem[],
): number | null {
  if (text.trim() === '') problems.push({ field, code: codes[0] })
  else if (!whole(text)) problems.push({ field, code: codes[1] })
  else if (Number(text) < min || Number(text) > max)
    problems.push({ field, code: codes[2], params: { min, max } })
  else return Number(text)
  return null
}

/**
 * Checks a result as typed, for a school year from `firstYear` (the school year the child
 * started school at the earliest) to `lastYear` (this one). Phonics: a mark and the year's
 * threshold, each 0 to 40. Key stage 2: a scaled score of 80 to 120 for a test, the teacher's
 * assessment for writing. GCSE: a subject and a grade.
 */
export function checkStatutoryResult(
  typed: TypedStatutoryResult,
  years: { firstYear: number; lastYear: number },
): { ok: true; value: StatutoryResult } | { ok: false; problems: StatutoryProblem[] } {
  const problems: StatutoryProblem[] = []
  const kind = (STATUTORY_KINDS as readonly string[]).includes(typed.kind)
    ? (typed.kind as StatutoryKind)
    : undefined
  if (!kind) problems.push({ field: 'kind', code: 'statutory.kind-missing' })
  let academicYear: number | null = null
  if (typed.academicYear.trim() === '')
    problems.push({ field: 'academicYear', code: 'statutory.year-missing' })
  else if (
    !whole(typed.academicYear) ||
    Number(typed.academicYear) < years.firstYear ||
    Number(typed.academicYear) > years.lastYear
  )
    problems.push({
      field: 'academicYear',
      code: 'statutory.year-invalid',
      params: { min: years.firstYear, max: years.lastYear },
    })
  else academicYear = Number(typed.academicYear)
  if (!kind) return { ok: false, problems }
  if (kind === 'phonics') {
    const mark = wholeIn(
      typed.mark,
      'mark',
      0,
      PHONICS_MAX_MARK,
      ['statutory.mark-missing', 'statutory.mark-not-whole', 'statutory.mark-out-of-range'],
      problems,
    )
    const threshold = wholeIn(
      typed.threshold,
      'threshold',
      0,
      PHONICS_MAX_MARK,
      [
        'statutory.threshold-missing',
        'statutory.threshold-not-whole',
        'statutory.threshold-out-of-range',
      ],
      problems,
    )
    if (problems.length > 0 || mark === null || threshold === null || academicYear === null)
      return { ok: false, problems }
    return {
      ok: true,
      value: { kind, academicYear, retake: typed.retake === 'yes', mark, threshold },
    }
  }
  if (kind === 'ks2') {
    const subject = typed.subject
    if (subject === 'writing') {
      if (!has(KS2_WRITING, typed.grade))
        problems.push({ field: 'grade', code: 'statutory.grade-missing' })
      if (problems.length > 0 || academicYear === null || !has(KS2_WRITING, typed.grade))
        return { ok: false, problems }
      return { ok: true, value: { kind, academicYear, subject, assessment: typed.grade } }
    }
    if (!has(KS2_TESTS, subject))
      problems.push({ field: 'subject', code: 'statutory.subject-missing' })
    const score = wholeIn(
      typed.score,
      'score',
      KS2_MIN_SCORE,
      KS2_MAX_SCORE,
      ['statutory.score-missing', 'statutory.score-not-whole', 'statutory.score-out-of-range'],
      problems,
    )
    if (problems.length > 0 || score === null || academicYear === null || !has(KS2_TESTS, subject))
      return { ok: false, problems }
    return { ok: true, value: { kind, academicYear, subject, scaledScore: score } }
  }
  const subject = typed.subject.trim()
  if (subject === '') problems.push({ field: 'subject', code: 'statutory.subject-missing' })
  else if (subject.length > SUBJECT_MAX_LENGTH)
    problems.push({
      field: 'subject',
      code: 'statutory.subject-too-long',
      params: { max: SUBJECT_MAX_LENGTH },
    })
  if (!has(GCSE_GRADES, typed.grade))
    problems.push({ field: 'grade', code: 'statutory.grade-missing' })
  if (problems.length > 0 || academicYear === null || !has(GCSE_GRADES, typed.grade))
    return { ok: false, problems }
  return { ok: true, value: { kind, academicYear, subject, grade: typed.grade } }
}

/** Whether a phonics mark met the standard: at or above the year's threshold. */
export const metPhonicsStandard = (r: { mark: number; threshold: number }) => r.mark >= r.threshold
