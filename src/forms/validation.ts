import type { z } from 'zod'

/** The GOV.UK error summary's shape: one entry per field, linking to it. */
export interface ErrorSummaryItem {
  text: string
  href: string
}

export interface FormErrors {
  /** For govukErrorSummary's errorList, in the order the fields appear. */
  list: ErrorSummaryItem[]
  /** For each field's errorMessage, keyed by field name. */
  fields: Record<string, { text: string }>
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FormErrors }

/**
 * Runs a form's zod schema and turns its issues into GOV.UK error messages. The first message
 * for each field wins; `fieldIds` maps a field to the element the summary should link to when it
 * is not simply `#name` (a date's day input, the first radio).
 */
export function validateForm<S extends z.ZodType>(
  schema: S,
  input: unknown,
  fieldIds: Record<string, string> = {},
): Validated<z.infer<S>> {
  const result = schema.safeParse(input ?? {})
  if (result.success) return { ok: true, value: result.data }
  const errors: FormErrors = { list: [], fields: {} }
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form')
    if (errors.fields[field]) continue
    errors.fields[field] = { text: issue.message }
    errors.list.push({ text: issue.message, href: `#${fieldIds[field] ?? field}` })
  }
  return { ok: false, errors }
}

/** One message for the whole form (for example, "Enter a correct email address and password"). */
export function formError(field: string, text: string): FormErrors {
  return { list: [{ text, href: `#${field}` }], fields: { [field]: { text } } }
}

/** Collects GOV.UK errors for a form checked field by field, in the order the fields appear. */
export class FormProblems {
  readonly errors: FormErrors = { list: [], fields: {} }

  /** `href` names the element to focus when it is not the field itself (a date's day box). */
  add(field: string, text: string, href = field): void {
    if (this.errors.fields[field]) return
    this.errors.fields[field] = { text }
    this.errors.list.push({ text, href: `#${href}` })
  }

  get any(): boolean {
    return this.errors.list.length > 0
  }
}
