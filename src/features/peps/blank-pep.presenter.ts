import { FORM_TYPE_NAMES, type FormType } from '../../domain/year-group.ts'
import { paths } from '../../paths.ts'
import type { FieldQuestion, FormTemplate, Question } from '../../forms/types.ts'
import { PROTECTIVE_MARKING } from './pep-cover.presenter.ts'
import type { BlankSpace, PepPdfModel } from './pep.pdf.ts'
import { blankTermAttainment } from '../attendance/pep-attainment.presenter.ts'

/*
 * A blank PEP of a form type (issue 21), to print and fill in by hand at a meeting: the cover's
 * rows with nothing in them (the child, the PEP, the meeting, the professionals), then every
 * section, page and question of the form type's current template with an empty space for its
 * answer (lines to write on, boxes to tick, a table for a repeating group), marked BLANK on
 * every page. It holds nobody's data: no child, no answer.
 */

/** Rows of a repeating group printed as a table (targets, attendance, contacts ...). */
export const BLANK_ITEMS = 3

const APPLIES = ' (only when it applies)'

function fieldSpace(question: FieldQuestion): BlankSpace {
  switch (question.type) {
    case 'longText':
      return { kind: 'space', lines: 5 }
    case 'text':
      return { kind: 'space', lines: 1 }
    case 'date':
      return { kind: 'space', lines: 1, prompt: 'Day / Month / Year' }
    case 'time':
      return { kind: 'space', lines: 1, prompt: 'Time, for example 2:30pm' }
    case 'number':
      return { kind: 'space', lines: 1, ...(question.suffix ? { prompt: question.suffix } : {}) }
    case 'percentage':
      return { kind: 'space', lines: 1, prompt: 'Per cent (%)' }
    case 'money':
      return { kind: 'space', lines: 1, prompt: 'Pounds and pence (£)' }
    case 'yesNo':
      return { kind: 'choices', options: ['Yes', 'No'], multiple: false }
    case 'singleChoice':
      return { kind: 'choices', options: question.options.map((o) => o.text), multiple: false }
    case 'multipleChoice':
      return { kind: 'choices', options: question.options.map((o) => o.text), multiple: true }
  }
}

function space(question: Question): BlankSpace {
  if (question.type !== 'repeating') return fieldSpace(question)
  return {
    kind: 'grid',
    itemName: question.itemName,
    columns: question.fields.map((f) => f.label),
    rows: BLANK_ITEMS,
  }
}

export const blankTitle = (formType: FormType) => `Blank ${FORM_TYPE_NAMES[formType]} PEP`

/** The blank form's file name: what it is, and the form type's version. */
export const blankFilename = (template: FormTemplate) =>
  `Blank PEP ${FORM_TYPE_NAMES[template.formType]} form version ${template.version}.pdf`

export function blankPepModel(template: FormTemplate, generatedAt: string): PepPdfModel {
  const form = `${FORM_TYPE_NAMES[template.formType]} PEP (version ${template.version})`
  const empty = (label: string) => ({ label, value: '' })
  return {
    title: `${form}, to print and fill in at the meeting`,
    childName: blankTitle(template.formType),
    summary: [
      empty('Child’s name'),
      empty('Date of birth'),
      empty('Unique pupil number (UPN)'),
      empty('Case reference'),
      empty('Legal status'),
      empty('School or setting'),
      empty('Looked after by'),
      empty('Term'),
      { label: 'Form', value: form },
      empty('Year group'),
      empty('Meeting date'),
      empty('Meeting place'),
      empty('Who attended'),
      { label: 'Protective marking', value: `${PROTECTIVE_MARKING} once filled in` },
    ],
    professionals: [],
    blankProfessionals: 4,
    sections: template.sections.map((section) => ({
      id: section.id,
      title: section.title,
      completed: 'Completed by (name and role): …………………………………  Date: ……………………',
      ownWords: section.id === 'C',
      pages: section.pages.map((page) => ({
        title: `${page.title}${page.condition ? APPLIES : ''}`,
        saved: '',
        answers: [
          // The attainment page: each subject's levels for the term, the record's (issue 19).
          ...blankTermAttainment(page),
          ...page.questions.map((question) => ({
            label: `${question.label}${question.condition ? APPLIES : ''}`,
            ...(question.hint ? { hint: question.hint } : {}),
            answer: space(question),
          })),
        ],
      })),
    })),
    blank: true,
    generatedAt,
  }
}

/** The link to a form type's blank PEP, as the PEP's contents page offers it. */
export function blankPepLink(formType: string) {
  if (!(formType in FORM_TYPE_NAMES)) return undefined
  return {
    text: `Download a blank ${FORM_TYPE_NAMES[formType as FormType]} PEP to print for the meeting (PDF)`,
    href: paths.peps.blankPdf(formType),
    allHref: paths.peps.blankForms(),
  }
}
