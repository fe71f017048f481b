import {
  ATTAINMENT_SCALES,
  checkAttainment,
  SUBJECT_MAX_LENGTH,
  SUBJECTS,
  type AttainmentEntry,
  type AttainmentProblem,
  type AttainmentScale,
} from '../../domain/attainment.ts'
import { parseTermKey, previousTerm, termKey, termLabel, type Term } from '../../domain/terms.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'

/* The attainment form: a subject, a term, and three levels on the child's scale; its words. */

export interface TypedAttainmentForm {
  subject: string
  otherSubject: string
  term: string
  workingAt: string
  expected: string
  target: string
}

export const emptyAttainment = (term: Term): TypedAttainmentForm => ({
  subject: '',
  otherSubject: '',
  term: termKey(term),
  workingAt: '',
  expected: '',
  target: '',
})

const text = (body: Record<string, unknown> | undefined, name: string, max: number) => {
  const value = body?.[name]
  return typeof value === 'string' ? value.slice(0, max) : ''
}

export const OTHER_SUBJECT = 'other'

export function readAttainmentForm(
  body: Record<string, unknown> | undefined,
  scale: AttainmentScale,
  terms: readonly Term[],
):
  | { ok: true; value: AttainmentEntry; typed: TypedAttainmentForm }
  | { ok: false; errors: FormErrors; typed: TypedAttainmentForm } {
  const typed: TypedAttainmentForm = {
    subject: text(body, 'subject', 80),
    otherSubject: text(body, 'otherSubject', SUBJECT_MAX_LENGTH + 20),
    term: text(body, 'term', 20),
    workingAt: text(body, 'workingAt', 20),
    expected: text(body, 'expected', 20),
    target: text(body, 'target', 20),
  }
  const term = parseTermKey(typed.term)
  const offered = term && terms.some((t) => termKey(t) === termKey(term)) ? term : undefined
  const subject =
    typed.subject === OTHER_SUBJECT
      ? typed.otherSubject
      : (SUBJECTS as readonly string[]).includes(typed.subject)
        ? typed.subject
        : ''
  const checked = checkAttainment({
    subject,
    term: offered,
    scale,
    workingAt: typed.workingAt,
    expected: typed.expected,
    target: typed.target,
  })
  if (checked.ok) return { ok: true, value: checked.value, typed }
  const problems = new FormProblems()
  for (const p of checked.problems) {
    const field =
      p.field === 'subject' && typed.subject === OTHER_SUBJECT ? 'otherSubject' : p.field
    problems.add(field, attainmentMessage(p))
  }
  return { ok: false, errors: problems.errors, typed }
}

const NAMES: Record<AttainmentProblem['field'], string> = {
  subject: 'the subject',
  term: 'the term',
  workingAt: 'where they are working now',
  expected: 'where they are expected to be by the end of the year',
  target: 'the target',
}

export function attainmentMessage(p: AttainmentProblem): string {
  switch (p.code) {
    case 'attainment.subject-missing':
      return 'Select the subject, or enter it'
    case 'attainment.subject-too-long':
      return `The subject must be ${SUBJECT_MAX_LENGTH} characters or fewer`
    case 'attainment.term-missing':
      return 'Select the term'
    case 'attainment.level-missing':
      return `Select ${NAMES[p.field]}`
    case 'attainment.level-not-on-scale':
      return `Select ${NAMES[p.field]} from the list`
  }
}

/** The terms offered: this one and the five before it. */
export function offeredTerms(current: Term): Term[] {
  const terms = [current]
  while (terms.length < 6) terms.push(previousTerm(terms.at(-1)!))
  return terms
}

export const termItems = (terms: readonly Term[], chosen: string) =>
  terms.map((t) => ({ value: termKey(t), text: termLabel(t), selected: termKey(t) === chosen }))

export const levelItems = (scale: AttainmentScale, chosen: string, placeholder: string) => [
  { value: '', text: placeholder },
  ...ATTAINMENT_SCALES[scale].map(([value, words]) => ({
    value,
    text: words,
    selected: value === chosen,
  })),
]

export const subjectItems = (chosen: string) => [
  { value: '', text: 'Select a subject' },
  ...SUBJECTS.map((s) => ({ value: s, text: s, selected: s === chosen })),
  { value: OTHER_SUBJECT, text: 'Another subject', selected: chosen === OTHER_SUBJECT },
]
