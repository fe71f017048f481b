import type { FormType } from '../../domain/year-group.ts'
import type { FormTemplate } from '../types.ts'
import { earlyYearsV1 } from './early-years.ts'
import { post16V1, post16V2 } from './post-16.ts'
import { primarySpecialV1 } from './primary-special.ts'
import { primaryV1, primaryV2 } from './primary.ts'
import { secondarySpecialV1 } from './secondary-special.ts'
import { secondaryV1, secondaryV2 } from './secondary.ts'

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
  // Issue 19: the attainment page's subjects in the termly attainment table only.
  primaryV2,
  secondaryV2,
  post16V2,
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
