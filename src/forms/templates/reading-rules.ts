import type { Audience } from '../../domain/visibility.ts'
import type { SectionId } from '../types.ts'

/*
 * Who may read each part of the PEP form, by section, page and question id (ADR 10). These hold
 * for every template version at once, the shipped ones included: who reads an answer is a rule
 * about the child's information, not about what the form asks, so tightening it must reach PEPs
 * already started and needs no new version (and is not part of a version's fingerprint).
 *
 * A page has its own audience or its section's; a question can only narrow its page's. Anything
 * not named here is read by staff and the carer, and by the young person once staff share its
 * page with them (forms/reading.ts). Who may change a page always reads it whole, so a question
 * narrower than its page must not be on a page the carer or the young person may change (a
 * test checks this).
 */
export interface ReadingRules {
  sections: Partial<Record<SectionId, Audience>>
  pages: Readonly<Record<string, Audience>>
  questions: Readonly<Record<string, Audience>>
}

export const READING_RULES: ReadingRules = {
  sections: {
    /** The young person's own views. */
    C: 'everyone',
    /** The Virtual School's quality assurance of the PEP. */
    D: 'staff',
  },
  pages: {
    /** Health, emotional wellbeing and the SDQ. */
    'health-and-wellbeing': 'staff',
    /** Their targets, last term's and this term's. */
    'review-of-targets': 'everyone',
    'smart-targets': 'everyone',
    /** Their meeting. */
    'pep-meeting': 'everyone',
    /** The early years child's own views (in Section B). */
    'childs-views': 'everyone',
  },
  questions: {
    'legal-status': 'staff',
    'permanence-plan': 'staff',
    /** "Is there anyone who must not be given information about the child, or have contact?" */
    'sharing-restrictions': 'staff',
    'virtual-school-notes': 'staff',
  },
}
