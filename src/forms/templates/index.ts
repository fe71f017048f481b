import type { FormType } from '../../domain/year-group.ts'
import type { FormTemplate } from '../types.ts'
import { earlyYearsV1 } from './early-years.ts'
import { post16V1 } from './post-16.ts'
import { primarySpecialV1 } from './primary-special.ts'
import { primaryV1 } from './primary.ts'
import { secondarySpecialV1 } from './secondary-special.ts'
import { secondaryV1 } from './secondary.ts'

/*
 * Every form template ever shipped. A PEP keeps the version it was started on, so old versions
 * are never deleted: a change to what a form asks is a new version added here.
 */
export const TEMPLATES: readonly FormTemplate[] = [
  earlyYearsV1,
  primaryV1,
  secondaryV1,
  post16V1,
  primarySpecialV1,
  secondarySpecialV1,
]

/** The template new PEPs of a form type start on: its highest version. */
export function currentTemplate(formType: FormType): FormTemplate {
  let current: FormTemplate | undefined
  for (const template of TEMPLATES) {
    if (template.formType === formType && (!current || template.version > current.version))
      current = template
  }
  if (!current) throw new Error(`No form template for ${formType}`)
  return current
}

/** The template a PEP was started on. */
export function findTemplate(formType: string, version: number): FormTemplate | undefined {
  return TEMPLATES.find((t) => t.formType === formType && t.version === version)
}
