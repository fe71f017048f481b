import { fieldKey, isMandatory, type MandatoryOverrides } from '../../forms/completion.ts'
import type { FormTemplate } from '../../forms/types.ts'
import { FORM_TYPE_NAMES, type FormType } from '../../domain/year-group.ts'

/** The mandatory questions pages' titles (ADR 7: titles from the presenter). */
export const formSettingsTitles = {
  list: 'Mandatory questions',
  formType: (formType: FormType) => `Mandatory questions: ${FORM_TYPE_NAMES[formType]} PEP`,
}

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
