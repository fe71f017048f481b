import type { FormTemplate } from '../../forms/types.ts'
import { mandatoryChoices } from './form-settings.presenter.ts'

/**
 * The changes from the template's defaults that a set of ticked boxes makes: only differences
 * are kept, so a later template version's defaults still apply to untouched questions.
 */
export function changesFromTicked(template: FormTemplate, ticked: ReadonlySet<string>) {
  const changes = new Map<string, boolean>()
  for (const section of mandatoryChoices(template, new Map()))
    for (const page of section.pages)
      for (const question of page.questions) {
        const mandatory = ticked.has(question.key)
        if (mandatory !== question.byDefault) changes.set(question.key, mandatory)
      }
  return changes
}
