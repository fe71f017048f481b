import type { FormTemplate, Page } from '../types.ts'

/*
 * Version 2 of the Primary, Secondary and Post-16 forms (issue 19): the attainment page's
 * per-subject questions repeated the child's termly attainment, which the same page reads and
 * writes in its own table (src/features/attendance/pep-attainment.form.ts and .presenter.ts), so people typed each
 * subject twice. From version 2 the table is the one place: the page keeps the date of the
 * assessments and what the questions ask besides the levels. Version 1 stays as shipped, for
 * the PEPs started on it (ADR 4).
 */

export const ATTAINMENT_PAGE_ID = 'attainment-and-progress'

/**
 * The early years form has no attainment page: what the child has achieved opens Section B, and
 * that page holds the termly table there, on the early learning goals (issue 19). It asks no
 * level of a subject itself (its areas of learning are how the child is doing for their age), so
 * no question is asked twice and every version stays as shipped.
 */
export const EARLY_YEARS_ATTAINMENT_PAGE_ID = 'achievements'

/** Whether a form's page holds the child's termly attainment table. */
export const holdsAttainmentTable = (pageId: string) =>
  pageId === ATTAINMENT_PAGE_ID || pageId === EARLY_YEARS_ATTAINMENT_PAGE_ID

const HISTORY_INTRO =
  "Use the school's latest assessments. Each subject's levels for this term go in the table above the questions: it is the child's record of attainment, so they are not asked again here."

/**
 * The next version of a template with its attainment page keeping only the questions named: the
 * rest of the template is shared with the version it comes from, unchanged.
 */
export function withAttainmentInHistory(
  template: FormTemplate,
  keep: readonly string[],
): FormTemplate {
  const page = (p: Page): Page =>
    p.id !== ATTAINMENT_PAGE_ID
      ? p
      : { ...p, intro: HISTORY_INTRO, questions: p.questions.filter((q) => keep.includes(q.id)) }
  const found = template.sections.some((s) => s.pages.some((p) => p.id === ATTAINMENT_PAGE_ID))
  if (!found) throw new Error(`${template.formType} has no attainment page`)
  return {
    ...template,
    version: template.version + 1,
    sections: template.sections.map((s) => ({ ...s, pages: s.pages.map(page) })),
  }
}
