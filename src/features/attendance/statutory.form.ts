import {
  checkStatutoryResult,
  GCSE_GRADES,
  KS2_TESTS,
  KS2_WRITING,
  metPhonicsStandard,
  type StatutoryKind,
  type StatutoryProblem,
  type StatutoryResult,
  type TypedStatutoryResult,
} from '../../domain/statutory-results.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import type { StatutoryRow } from './statutory.repository.ts'

/* The statutory results' forms (one a test), read and checked by the domain's rule, and their words. */

/** School years offered: this one and the fifteen before it. */
export const YEARS_BACK = 15

export const STATUTORY_HEADINGS: Record<StatutoryKind, string> = {
  phonics: 'Record a phonics screening check result',
  ks2: 'Record a key stage 2 result',
  gcse: 'Record a GCSE grade',
}

export const emptyStatutory = (kind: StatutoryKind, year: number): TypedStatutoryResult => ({
  kind,
  academicYear: String(year),
  retake: 'no',
  mark: '',
  threshold: kind === 'phonics' ? '32' : '',
  subject: '',
  score: '',
  grade: '',
})

const text = (body: Record<string, unknown> | undefined, name: string, max: number) => {
  const value = body?.[name]
  return typeof value === 'string' ? value.slice(0, max) : ''
}

export function readStatutoryForm(
  body: Record<string, unknown> | undefined,
  kind: StatutoryKind,
  thisYear: number,
):
  | { ok: true; value: StatutoryResult; typed: TypedStatutoryResult }
  | { ok: false; errors: FormErrors; typed: TypedStatutoryResult } {
  const typed: TypedStatutoryResult = {
    kind,
    academicYear: text(body, 'academicYear', 8),
    retake: text(body, 'retake', 8),
    mark: text(body, 'mark', 20),
    threshold: text(body, 'threshold', 20),
    subject: text(body, 'subject', 500),
    score: text(body, 'score', 20),
    grade: text(body, 'grade', 8),
  }
  const checked = checkStatutoryResult(typed, {
    firstYear: thisYear - YEARS_BACK,
    lastYear: thisYear,
  })
  if (checked.ok) return { ok: true, value: checked.value, typed }
  const problems = new FormProblems()
  for (const problem of checked.problems) problems.add(problem.field, statutoryMessage(problem))
  return { ok: false, errors: problems.errors, typed }
}

export function statutoryMessage(problem: StatutoryProblem): string {
  const p = problem.params ?? {}
  switch (problem.code) {
    case 'statutory.kind-missing':
      return 'Select the test'
    case 'statutory.year-missing':
    case 'statutory.year-invalid':
      return 'Select the school year of the result'
    case 'statutory.mark-missing':
      return 'Enter the mark'
    case 'statutory.mark-not-whole':
      return 'The mark must be a whole number, like 34'
    case 'statutory.mark-out-of-range':
      return `The mark must be from ${p['min']} to ${p['max']}`
    case 'statutory.threshold-missing':
      return 'Enter the threshold mark of that year'
    case 'statutory.threshold-not-whole':
      return 'The threshold must be a whole number, like 32'
    case 'statutory.threshold-out-of-range':
      return `The threshold must be from ${p['min']} to ${p['max']}`
    case 'statutory.subject-missing':
      return 'Enter the subject'
    case 'statutory.subject-too-long':
      return `The subject must be ${p['max']} characters or fewer`
    case 'statutory.score-missing':
      return 'Enter the scaled score'
    case 'statutory.score-not-whole':
      return 'The scaled score must be a whole number, like 104'
    case 'statutory.score-out-of-range':
      return `The scaled score must be from ${p['min']} to ${p['max']}`
    case 'statutory.grade-missing':
      return problem.field === 'grade' ? 'Select the grade or assessment' : 'Select the grade'
  }
}

export const yearText = (year: number) => `${year} to ${year + 1}`

export const yearItems = (thisYear: number, chosen: string) =>
  Array.from({ length: YEARS_BACK + 1 }, (_, i) => thisYear - i).map((y) => ({
    value: String(y),
    text: yearText(y),
    selected: String(y) === chosen,
  }))

const choose = (words: Record<string, string>, chosen: string, first: string) => [
  { value: '', text: first },
  ...Object.entries(words).map(([value, t]) => ({ value, text: t, selected: value === chosen })),
]

export const ks2SubjectItems = (chosen: string) =>
  choose({ ...KS2_TESTS, writing: 'Writing (teacher assessment)' }, chosen, 'Select a subject')
export const writingItems = (chosen: string) =>
  Object.entries(KS2_WRITING).map(([value, t]) => ({ value, text: t, checked: value === chosen }))
export const gradeItems = (chosen: string) => choose(GCSE_GRADES, chosen, 'Select a grade')

const KIND_NAMES = { phonics: 'Phonics screening check', ks2: 'Key stage 2', gcse: 'GCSE' }

/** One result's words: what it is, and what it came to. */
function describe(r: StatutoryRow) {
  if (r.kind === 'phonics') {
    const met = metPhonicsStandard({ mark: r.mark ?? 0, threshold: r.threshold ?? 0 })
    return {
      test: `${KIND_NAMES.phonics}${r.retake ? ' (retake)' : ''}`,
      result: `${r.mark} out of 40 (threshold ${r.threshold}): ${met ? 'met the standard' : 'did not meet the standard'}`,
    }
  }
  if (r.kind === 'ks2')
    return {
      test: `${KIND_NAMES.ks2}: ${r.subject === 'writing' ? 'Writing (teacher assessment)' : (KS2_TESTS[r.subject as keyof typeof KS2_TESTS] ?? r.subject)}`,
      result:
        r.scaledScore !== null
          ? `Scaled score ${r.scaledScore}${r.scaledScore >= 100 ? ' (expected standard met)' : ''}`
          : (KS2_WRITING[r.outcome as keyof typeof KS2_WRITING] ?? r.outcome ?? ''),
    }
  return {
    test: `${KIND_NAMES.gcse}: ${r.subject}`,
    result: `Grade ${GCSE_GRADES[r.outcome as keyof typeof GCSE_GRADES] ?? r.outcome}`,
  }
}

/** The current results, newest year first, each with what it corrected. */
export function presentStatutory(
  rows: readonly StatutoryRow[],
  recorded: (r: StatutoryRow) => string,
) {
  const byId = new Map(rows.map((r) => [r.id, r]))
  return rows
    .filter((r) => r.supersededAt === null)
    .map((r) => {
      const earlier: string[] = []
      for (
        let e = rows.find((x) => x.supersededBy === r.id);
        e;
        e = rows.find((x) => x.supersededBy === e!.id)
      )
        earlier.push(`${describe(e).result}, ${recorded(e)}`)
      return {
        year: yearText(r.academicYear),
        ...describe(r),
        recorded: recorded(r),
        earlier,
        id: byId.get(r.id)!.id,
      }
    })
}
