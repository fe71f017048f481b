import type { Role } from '../../domain/roles.ts'
import type { Choice, Page, Section } from '../types.ts'

/*
 * What the PEP forms share: who owns each section, the option lists, and the few words that
 * change with the child's age. The pages are in shared-section-*.ts and shared-special.ts; each
 * form (early-years.ts, primary.ts, ...) lists its own pages, in order, from those parts.
 */

/** How a form speaks of the child and where they learn, so one page serves every form. */
export interface Phase {
  /** 'the child' (early years, primary) or 'the young person' (secondary, post-16). */
  the: 'the child' | 'the young person'
  /** Where they learn. */
  place: 'setting' | 'school' | 'school, college or training provider'
  /** Whether targets can ask for Pupil Premium Plus funding (not post-16). */
  funded: boolean
}

export const EARLY_YEARS: Phase = { the: 'the child', place: 'setting', funded: true }
export const PRIMARY: Phase = { the: 'the child', place: 'school', funded: true }
export const SECONDARY: Phase = { the: 'the young person', place: 'school', funded: true }
export const POST_16: Phase = {
  the: 'the young person',
  place: 'school, college or training provider',
  funded: false,
}

/** "the child's" */
export const their = (p: Phase): string => `${p.the}'s`
export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

// Who does what

export const VIRTUAL_SCHOOL_STAFF: readonly Role[] = [
  'vs_admin',
  'vs_head',
  'vs_consultant',
  'business_support',
]
const SOCIAL_WORKERS: readonly Role[] = ['social_worker', 'personal_advisor']
const EDUCATION_LEADS: readonly Role[] = ['designated_teacher', 'designated_person']
/** Section B's editors: the school and the social worker, who share the meeting. */
export const SECTION_B_EDITORS: readonly Role[] = [...EDUCATION_LEADS, ...SOCIAL_WORKERS]
const QA_STAFF: readonly Role[] = ['vs_consultant', 'vs_head']

export function sectionA(pages: readonly Page[]): Section {
  return {
    id: 'A',
    title: 'Section A: Social worker',
    completedBy: SOCIAL_WORKERS,
    editableBy: [...SOCIAL_WORKERS, ...VIRTUAL_SCHOOL_STAFF],
    pages,
  }
}

export function sectionB(lead: 'teacher' | 'person', pages: readonly Page[]): Section {
  return {
    id: 'B',
    title: `Section B: Designated ${lead}`,
    completedBy: EDUCATION_LEADS,
    editableBy: SECTION_B_EDITORS,
    pages,
  }
}

export function sectionC(pages: readonly Page[]): Section {
  return {
    id: 'C',
    title: "Section C: Young person's views",
    completedBy: EDUCATION_LEADS,
    editableBy: [...SECTION_B_EDITORS, 'young_person', 'carer'],
    pages,
  }
}

export function sectionD(pages: readonly Page[]): Section {
  return {
    id: 'D',
    title: 'Section D: Final sign-off',
    completedBy: QA_STAFF,
    editableBy: QA_STAFF,
    pages,
  }
}

// Option lists

export const EARLY_YEARS_SETTINGS: readonly Choice[] = [
  { value: 'nursery_school', text: 'Nursery school' },
  { value: 'nursery_class', text: 'Nursery class in a school' },
  { value: 'reception_class', text: 'Reception class in a school' },
  { value: 'pvi_nursery', text: 'Private, voluntary or independent nursery or pre-school' },
  { value: 'childminder', text: 'Childminder' },
  { value: 'none', text: 'Not attending a setting' },
]

export const SCHOOLS: readonly Choice[] = [
  { value: 'maintained', text: 'Local authority maintained school' },
  { value: 'academy', text: 'Academy or free school' },
  { value: 'special', text: 'Special school' },
  { value: 'alternative_provision', text: 'Alternative provision or pupil referral unit' },
  { value: 'independent', text: 'Independent school' },
  { value: 'none', text: 'No school place' },
]

export const POST_16_PROVIDERS: readonly Choice[] = [
  { value: 'school_sixth_form', text: 'School sixth form' },
  { value: 'sixth_form_college', text: 'Sixth form college' },
  { value: 'fe_college', text: 'Further education college' },
  { value: 'training_provider', text: 'Training provider' },
  { value: 'employer', text: 'Employer (apprenticeship or job with training)' },
  { value: 'specialist_post_16', text: 'Specialist post-16 institution' },
  { value: 'none', text: 'No education or training provider' },
]

export const LEGAL_STATUSES: readonly Choice[] = [
  { value: 'section_20', text: 'Accommodated by agreement (section 20)' },
  { value: 'interim_care_order', text: 'Interim care order' },
  { value: 'care_order', text: 'Full care order' },
  { value: 'placement_order', text: 'Placement order' },
  { value: 'remand', text: 'Remanded to local authority accommodation' },
  { value: 'other', text: 'Other' },
]

export const PLACEMENT_TYPES: readonly Choice[] = [
  { value: 'kinship_foster_care', text: 'Foster care with a relative or friend' },
  { value: 'foster_care', text: 'Foster care' },
  { value: 'childrens_home', text: "Children's home" },
  { value: 'residential_school', text: 'Residential special school' },
  { value: 'placed_with_parents', text: 'Placed with parents' },
  { value: 'placed_for_adoption', text: 'Placed for adoption' },
  { value: 'supported_accommodation', text: 'Supported accommodation' },
  { value: 'secure', text: "Secure children's home or youth custody" },
  { value: 'other', text: 'Other' },
]

export const PERMANENCE_PLANS: readonly Choice[] = [
  { value: 'return_home', text: 'Return home to family' },
  { value: 'long_term_foster_care', text: 'Long-term foster care' },
  { value: 'family_or_friends_order', text: 'Special guardianship or child arrangements order' },
  { value: 'adoption', text: 'Adoption' },
  { value: 'residential_care', text: 'Residential care' },
  { value: 'independence', text: 'Staying put or moving to independence' },
  { value: 'not_decided', text: 'Not decided yet' },
]

export const SEN_STATUSES: readonly Choice[] = [
  { value: 'none', text: 'No special educational needs' },
  { value: 'sen_support', text: 'SEN support' },
  { value: 'ehc_plan', text: 'Education, health and care (EHC) plan' },
]

export const AREAS_OF_NEED: readonly Choice[] = [
  { value: 'communication_and_interaction', text: 'Communication and interaction' },
  { value: 'cognition_and_learning', text: 'Cognition and learning' },
  { value: 'semh', text: 'Social, emotional and mental health' },
  { value: 'sensory_and_physical', text: 'Sensory or physical' },
]

/** How progress compares with what is expected, for any subject or area. */
export const PROGRESS: readonly Choice[] = [
  { value: 'above_expected', text: 'More than expected' },
  { value: 'expected', text: 'As expected' },
  { value: 'below_expected', text: 'Less than expected' },
]

export const TARGET_OUTCOMES: readonly Choice[] = [
  { value: 'achieved', text: 'Achieved' },
  { value: 'partly_achieved', text: 'Partly achieved' },
  { value: 'not_achieved', text: 'Not achieved' },
  { value: 'continuing', text: 'Continuing' },
]

/** A target's areas: the common ones, then those of the form's phase, then 'Other'. */
export function targetAreas(phaseAreas: readonly Choice[] = []): readonly Choice[] {
  return [
    { value: 'attendance', text: 'Attendance' },
    { value: 'literacy', text: 'Literacy (reading and writing)' },
    { value: 'mathematics', text: 'Mathematics' },
    { value: 'semh', text: 'Social, emotional and mental health' },
    ...phaseAreas,
    { value: 'other', text: 'Other' },
  ]
}

/** The symbols a child points to when giving their views. */
export const SYMBOL_FEELINGS: readonly Choice[] = [
  { value: 'liked-a-lot', text: 'Liked a lot' },
  { value: 'ok', text: 'OK' },
  { value: 'did-not-like', text: 'Did not like' },
]

export const QA_RATINGS: readonly Choice[] = [
  { value: 'outstanding', text: 'Outstanding' },
  { value: 'good', text: 'Good' },
  { value: 'requires_improvement', text: 'Requires improvement' },
  { value: 'inadequate', text: 'Inadequate' },
  { value: 'not_applicable', text: 'Not applicable' },
]

export const OVERALL_RATINGS: readonly Choice[] = QA_RATINGS.filter(
  (r) => r.value !== 'not_applicable',
)
