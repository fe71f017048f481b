import type { Page, Question, Section } from '../types.ts'
import { OVERALL_RATINGS, QA_RATINGS, sectionD } from './shared.ts'

/*
 * Section D: the Virtual School's quality assurance, the same in every form. Each criterion's
 * hint is its descriptor: what a good PEP shows.
 */

interface Criterion {
  id: string
  label: string
  good: string
}

const CRITERIA: readonly Criterion[] = [
  {
    id: 'qa-education-experiences',
    label: 'How well does the PEP describe the education history and experiences?',
    good: 'school history, attendance, exclusions and any gaps in education are complete and explained, with what is being done about them.',
  },
  {
    id: 'qa-literacy-progress',
    label: 'How well does the PEP show progress in literacy?',
    good: 'progress in reading and writing since the last PEP is clear from recorded assessments, and slow progress has a planned response.',
  },
  {
    id: 'qa-literacy-attainment',
    label: 'How well does the PEP record attainment in literacy?',
    good: 'current attainment in reading and writing is recorded against age-related expectations, with a target for the end of the key stage.',
  },
  {
    id: 'qa-maths-progress',
    label: 'How well does the PEP show progress in mathematics?',
    good: 'progress in mathematics since the last PEP is clear from recorded assessments, and slow progress has a planned response.',
  },
  {
    id: 'qa-maths-attainment',
    label: 'How well does the PEP record attainment in mathematics?',
    good: 'current attainment in mathematics is recorded against age-related expectations, with a target for the end of the key stage.',
  },
  {
    id: 'qa-review-process',
    label: 'How well were the last targets and actions reviewed?',
    good: 'every previous target has an outcome and a comment on its impact, and the meeting record explains what will change as a result.',
  },
  {
    id: 'qa-target-setting',
    label: 'How good are the new targets?',
    good: "targets are SMART, focus on education, follow from the review and the child's views, and say who will do what by when.",
  },
  {
    id: 'qa-pp-funding',
    label: 'How well is Pupil Premium Plus funding planned and used?',
    good: 'each request is linked to a target, costed, says what it buys, and the impact of earlier funding is recorded.',
  },
  {
    id: 'qa-off-site-provision',
    label: 'How well does the PEP cover part-time timetables and off-site provision?',
    good: 'hours, provider, reason, safety checks and the plan back to full-time education are clear. Not applicable if there is none.',
  },
  {
    id: 'qa-transition',
    label: 'How well does the PEP plan for transitions?',
    good: 'moves due before the next PEP are identified, with actions, dates and who is responsible. Not applicable if none is due.',
  },
]

const criterionQuestion = (c: Criterion): Question => ({
  id: c.id,
  type: 'singleChoice',
  label: c.label,
  hint: `Good: ${c.good}`,
  mandatory: true,
  options: QA_RATINGS,
})

export const QUALITY_ASSURANCE_PAGE: Page = {
  id: 'quality-assurance',
  title: 'Quality assurance',
  intro:
    'Rate the PEP on each criterion. The social worker and the school can read this page once the PEP is signed off.',
  questions: [
    ...CRITERIA.map(criterionQuestion),
    {
      id: 'qa-young-person-participated',
      type: 'yesNo',
      label: 'Did the young person take part, with their views recorded?',
      hint: 'Their views, wishes and feelings are recorded and were considered at the meeting.',
      mandatory: true,
    },
    {
      id: 'qa-comments',
      type: 'longText',
      label: 'What comments do you have on this PEP?',
      hint: 'Say what was done well and what would improve it.',
    },
    {
      id: 'qa-overall',
      type: 'singleChoice',
      label: 'What is the overall rating of this PEP?',
      name: 'the overall rating',
      mandatory: true,
      options: OVERALL_RATINGS,
    },
  ],
}

export const SECTION_D: Section = sectionD([QUALITY_ASSURANCE_PAGE])
