import { fieldKey, isMandatory, type MandatoryOverrides } from '../../forms/completion.ts'
import type { FormTemplate } from '../../forms/types.ts'

/** Every question (and repeating group field) whose mandatory setting an authority can change. */
export function mandatoryChoices(template: FormTemplate, overrides: MandatoryOverrides) {
  return template.sections.map((section) => ({
    title: section.title,
    pages: section.pages.map((page) => ({
      id: page.id,
      title: page.title,
      questions: page.questions.flatMap((question) => [
        {
          key: question.id,
          text: question.label,
          byDefault: question.mandatory ?? false,
          mandatory: isMandatory(question, overrides),
        },
        ...(question.type === 'repeating'
          ? question.fields.map((field) => ({
              key: fieldKey(question.id, field.id),
              text: `${question.itemName.charAt(0).toUpperCase()}${question.itemName.slice(1)}: ${field.label}`,
              byDefault: field.mandatory ?? false,
              mandatory: isMandatory(field, overrides, fieldKey(question.id, field.id)),
            }))
          : []),
      ]),
    })),
  }))
}

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
