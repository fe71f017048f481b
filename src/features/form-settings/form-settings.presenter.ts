import { FORM_TYPE_NAMES, type FormType } from '../../domain/year-group.ts'

/** The mandatory questions pages' titles (ADR 7: titles from the presenter). */
export const formSettingsTitles = {
  list: 'Mandatory questions',
  formType: (formType: FormType) => `Mandatory questions: ${FORM_TYPE_NAMES[formType]} PEP`,
}
