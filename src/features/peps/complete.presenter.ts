import type { MissingAnswer } from '../../forms/completion.ts'
import type { Section } from '../../forms/types.ts'
import { paths } from '../../paths.ts'
import type { PepInContext } from './pep-context.ts'
import { pepTitle } from './pep.presenter.ts'
import type { CompleteRefusal } from './peps.service.ts'
import { isSchoolSection } from './workflow.service.ts'

/* The words of marking a section complete: the page that asks first, and each refusal. */

/** The page that asks before a section is locked, saying what it locks. */
export function completePageModel(pep: PepInContext, section: Section) {
  const name = section.title.split(':')[0]!
  return {
    pageTitle: `Mark ${name} as complete – ${pepTitle(pep)}`,
    heading: `Mark ${name} as complete?`,
    name,
    locks: isSchoolSection(section.id)
      ? `Its pages are locked: nobody can change them unless the social worker or the Virtual School returns ${name} to the school.`
      : section.id === 'D'
        ? 'The quality assurance is locked with the PEP when it is signed off.'
        : `Its pages are locked: nobody can change them unless the Virtual School returns ${name} for improvement.`,
    action: paths.peps.complete(pep.childId, pep.id, section.id),
  }
}

const NOT_NOW: Partial<Record<CompleteRefusal, string>> = {
  'section.not-delegated': 'The school’s sections are not delegated to you',
  'section.closed': 'The PEP is not open for changes to this section',
}

/** Why the section cannot be marked complete now (a refusal the page explains), if it is one. */
export function notNowModel(pep: PepInContext, section: Section, code: CompleteRefusal) {
  const refusal = NOT_NOW[code]
  return (
    refusal && {
      pageTitle: `${section.title} cannot be marked complete now – ${pepTitle(pep)}`,
      heading: `Mark ${section.title} as complete`,
      refusal,
    }
  )
}

/** The answers still missing, each linking to its question, and the pages the VS was asked for. */
export function incompleteModel(
  pep: PepInContext,
  section: Section,
  blockers: { missing: readonly MissingAnswer[]; askedVirtualSchool: readonly string[] },
) {
  return {
    pageTitle: `${section.title} cannot be marked complete yet – ${pepTitle(pep)}`,
    section: { title: section.title },
    askedVirtualSchool: blockers.askedVirtualSchool,
    errors: {
      list: blockers.missing.map((m) => ({
        text: `${m.pageTitle}: ${m.text}`,
        href: `${paths.peps.page(pep.childId, pep.id, m.pageId)}#${m.fieldId}`,
      })),
      fields: {},
    },
  }
}

/** What the flash says once it is done. */
export const completedMessage = (section: Section, already: boolean) =>
  already ? `${section.title} was already marked complete` : `${section.title} is marked complete`
