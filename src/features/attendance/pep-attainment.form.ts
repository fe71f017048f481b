import { checkAttainment, scaleFor, type AttainmentScale } from '../../domain/attainment.ts'
import { canAct } from '../../domain/permissions.ts'
import type { Role } from '../../domain/roles.ts'
import type { Term, TermName } from '../../domain/terms.ts'
import { keyStageOf, type YearGroup } from '../../domain/year-group.ts'
import { holdsAttainmentTable } from '../../forms/templates/attainment-history.ts'
import type { Page } from '../../forms/types.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import { attainmentMessage } from './attainment.form.ts'
import type { PepAttainmentRow } from './attainment.service.ts'

/*
 * The PEP attainment page's fields (issue 19): reading what was typed for each subject on the
 * PEP's scale, and the errors of a refused or overtaken save. The page's view and the PEP read
 * whole are in `pep-attainment.presenter.ts`.
 */

export const showsAttainmentHistory = (page: Pick<Page, 'id'>) => holdsAttainmentTable(page.id)

export interface PepForAttainment {
  id: string
  childId: string
  academicYear: number
  term: TermName
  yearGroupValue: YearGroup | null
}

export const termOfPep = (pep: PepForAttainment): Term => ({
  academicYear: pep.academicYear,
  name: pep.term,
})

export const scaleOfPep = (pep: PepForAttainment): AttainmentScale | null =>
  pep.yearGroupValue ? scaleFor(keyStageOf(pep.yearGroupValue)) : null

/** One subject's row as typed on the page. */
export interface TypedPepAttainment {
  /** The row's place on the page, which names its fields. */
  at: number
  subject: string
  seen: string
  workingAt: string
  expected: string
  target: string
}

export const field = (i: number, name: Exclude<keyof TypedPepAttainment, 'at'>) =>
  `attainment-${i}-${name}`

export const sameSubject = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

const text = (body: Record<string, unknown>, name: string, max = 100) => {
  const value = body[name]
  return typeof value === 'string' ? value.slice(0, max) : ''
}

/**
 * Reads the page's attainment fields: each subject given a level is checked on the PEP's scale
 * (working at and expected both needed); a subject left blank is not recorded. Null when the page
 * has no history block or the person may not record it.
 */
export function readPepAttainment(
  page: Page,
  pep: PepForAttainment,
  role: Role | null,
  body: Record<string, unknown>,
):
  | null
  | { ok: true; typed: TypedPepAttainment[]; value: { term: Term; rows: PepAttainmentRow[] } }
  | { ok: false; typed: TypedPepAttainment[]; errors: FormErrors } {
  const scale = scaleOfPep(pep)
  if (!showsAttainmentHistory(page) || !scale) return null
  if (!canAct(role ? [role] : [], 'child.education.record')) return null
  const term = termOfPep(pep)
  const typed: TypedPepAttainment[] = []
  const indexes = Object.keys(body)
    .map((name) => /^attainment-(\d{1,2})-subject$/.exec(name)?.[1])
    .filter((i) => i !== undefined)
    .map(Number)
    .sort((a, b) => a - b)
  for (const i of indexes)
    typed.push({
      at: i,
      subject: text(body, field(i, 'subject')).trim(),
      seen: text(body, field(i, 'seen'), 40),
      workingAt: text(body, field(i, 'workingAt'), 20),
      expected: text(body, field(i, 'expected'), 20),
      target: text(body, field(i, 'target'), 20),
    })
  const problems = new FormProblems()
  const rows: PepAttainmentRow[] = []
  typed.forEach((t) => {
    if (t.workingAt === '' && t.expected === '' && t.target === '') return
    if (typed.some((o) => o.at < t.at && sameSubject(o.subject, t.subject)))
      return problems.add(field(t.at, 'subject'), `${t.subject} is already on this page`)
    const checked = checkAttainment({ ...t, term, scale })
    if (checked.ok) rows.push({ entry: checked.value, seen: t.seen === '' ? null : t.seen })
    else
      for (const p of checked.problems)
        problems.add(
          field(t.at, p.field === 'term' ? 'subject' : p.field),
          `${t.subject || 'Another subject'}: ${attainmentMessage(p)}`,
        )
  })
  if (problems.any) return { ok: false, typed, errors: problems.errors }
  return { ok: true, typed, value: { term, rows } }
}

/**
 * The page again after a save refused because someone recorded a subject since it was opened:
 * what was typed kept, theirs shown as now on the record, and the next save made over theirs.
 */
export function changedForm(
  typed: TypedPepAttainment[],
  params: Readonly<Record<string, string | number>> | undefined,
) {
  return {
    status: 409,
    errors: attainmentChangedErrors(typed, `${params?.['subject'] ?? ''}`),
    attainment: { typed, refreshSeen: true },
  }
}

function attainmentChangedErrors(
  typed: readonly TypedPepAttainment[],
  subject: string,
): FormErrors {
  const i = typed.find((t) => sameSubject(t.subject, subject))?.at ?? 0
  const problems = new FormProblems()
  problems.add(
    field(i, 'workingAt'),
    `${subject} for this term was recorded by someone else since you opened this page. Their levels are shown under “Now on the record”: check yours and save again.`,
  )
  return problems.errors
}

/** Two sets of GOV.UK errors as one, in the order given. */
export function mergeErrors(
  a: FormErrors | undefined,
  b: FormErrors | undefined,
): FormErrors | undefined {
  if (!a) return b
  if (!b) return a
  return { list: [...a.list, ...b.list], fields: { ...a.fields, ...b.fields } }
}
