import type { Choice, FormTemplate, Page, Question } from '../types.ts'
import {
  careInformationPage,
  educationInformationPage,
  healthAndWellbeingPage,
  keyContactsPage,
  personalInformationPage,
} from './shared-section-a.ts'
import {
  attendancePage,
  exclusionsPage,
  extraSupportPage,
  partTimeTimetablePage,
  previousSchoolsPage,
  senPage,
  socialEmotionalPage,
  transitionsPage,
} from './shared-section-b.ts'
import { PRIMARY_VOICE, viewsPages } from './shared-section-c.ts'
import { SECTION_D } from './shared-section-d.ts'
import { withAttainmentInHistory } from './attainment-history.ts'
import { pepMeetingPage, reviewOfTargetsPage, smartTargetsPage } from './shared-targets.ts'
import { PRIMARY, PROGRESS, SCHOOLS, sectionA, sectionB, sectionC, targetAreas } from './shared.ts'

/* Primary (Years 1 to 6, mainstream school). */

const p = PRIMARY

const STANDARDS: readonly Choice[] = [
  { value: 'greater_depth', text: 'Working at greater depth' },
  { value: 'expected', text: 'Working at the expected standard' },
  { value: 'towards', text: 'Working towards the expected standard' },
  { value: 'below', text: 'Working below the expected standard' },
]

const SUBJECTS = [
  ['reading', 'reading'],
  ['writing', 'writing'],
  ['maths', 'mathematics'],
] as const

const attainmentPage: Page = {
  id: 'attainment-and-progress',
  title: 'Attainment and progress',
  intro: "Use the school's latest teacher assessments.",
  questions: [
    {
      id: 'assessment-date',
      type: 'date',
      label: 'When were these assessments made?',
      mandatory: true,
    },
    ...SUBJECTS.flatMap(([id, subject]): Question[] => [
      {
        id: `${id}-attainment`,
        type: 'singleChoice',
        label: `Where is the child working in ${subject}?`,
        mandatory: true,
        options: STANDARDS,
      },
      {
        id: `${id}-progress`,
        type: 'singleChoice',
        label: `How much progress has the child made in ${subject} since the last PEP?`,
        mandatory: true,
        options: PROGRESS,
      },
    ]),
    {
      id: 'phonics-check',
      type: 'singleChoice',
      label: 'Has the child met the standard of the phonics screening check?',
      options: [
        { value: 'met', text: 'Yes' },
        { value: 'not_met', text: 'No' },
        { value: 'not_taken', text: 'Not taken yet' },
      ],
      condition: { yearGroupIn: ['Y1', 'Y2'] },
    },
    {
      id: 'attainment-summary',
      type: 'longText',
      label: 'What progress has the child made since the last PEP, and what are the next steps?',
      hint: 'Include other subjects where the child is doing well or needs help.',
      mandatory: true,
    },
  ],
}

export const primaryV1: FormTemplate = {
  formType: 'primary',
  version: 1,
  title: 'Primary PEP',
  sections: [
    sectionA([
      personalInformationPage(p),
      careInformationPage(p),
      educationInformationPage(p, SCHOOLS),
      healthAndWellbeingPage(p),
      keyContactsPage(p),
    ]),
    sectionB('teacher', [
      previousSchoolsPage(p),
      attendancePage(p),
      attainmentPage,
      senPage(p),
      socialEmotionalPage(p),
      transitionsPage(p),
      partTimeTimetablePage(p),
      exclusionsPage(p, true),
      extraSupportPage(p),
      reviewOfTargetsPage(p),
      smartTargetsPage(p, targetAreas()),
      pepMeetingPage(p),
    ]),
    sectionC(viewsPages(PRIMARY_VOICE)),
    SECTION_D,
  ],
}

/** Version 2: each subject's levels in the termly attainment table only (attainment-history.ts). */
export const primaryV2 = withAttainmentInHistory(primaryV1, [
  'assessment-date',
  'attainment-summary',
])
