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
import { EARLY_YEARS_ACTIVITIES, symbolViewsPage } from './shared-section-c.ts'
import { SECTION_D } from './shared-section-d.ts'
import { pepMeetingPage, reviewOfTargetsPage, smartTargetsPage } from './shared-targets.ts'
import {
  EARLY_YEARS,
  EARLY_YEARS_SETTINGS,
  SECTION_B_EDITORS,
  sectionA,
  sectionB,
  targetAreas,
} from './shared.ts'

/*
 * Early Years (nursery and reception). No Section C: the child's views are taken with symbols
 * in Section B, which opens with what the child has achieved. No 14-19 plan, and exclusions are
 * a yes or no.
 */

const p = EARLY_YEARS

const fundedHours: Question = {
  id: 'funded-hours',
  type: 'singleChoice',
  label: 'Which funded early education does the child get?',
  mandatory: true,
  options: [
    { value: 'two_year_old', text: '15 hours for 2-year-olds' },
    { value: 'universal', text: '15 hours for 3 and 4-year-olds' },
    { value: 'extended', text: '30 hours' },
    { value: 'school', text: 'None: the child is in a Reception class' },
    { value: 'none', text: 'None' },
  ],
}

const DEVELOPMENT: readonly Choice[] = [
  { value: 'above', text: 'Above what is typical for their age' },
  { value: 'typical', text: 'Typical for their age' },
  { value: 'below', text: 'Below what is typical for their age' },
]

const AREAS_OF_LEARNING = [
  ['communication-and-language', 'communication and language'],
  ['physical-development', 'physical development'],
  ['personal-social-emotional', 'personal, social and emotional development'],
  ['literacy', 'literacy'],
  ['mathematics', 'mathematics'],
  ['understanding-the-world', 'understanding the world'],
  ['expressive-arts', 'expressive arts and design'],
] as const

const achievementsPage: Page = {
  id: 'achievements',
  title: 'Achievements',
  intro: "Start with what the child can do. Use the setting's observations and learning journal.",
  questions: [
    {
      id: 'achievements',
      type: 'longText',
      label: 'What has the child achieved since the last PEP?',
      name: 'the achievements',
      hint: 'Include new things they can do, and moments the setting and carer are proud of.',
      mandatory: true,
    },
    {
      id: 'eyfs-assessment-date',
      type: 'date',
      label: "When was the child's development last assessed?",
      mandatory: true,
    },
    ...AREAS_OF_LEARNING.map(([id, area]): Question => ({
      id: `eyfs-${id}`,
      type: 'singleChoice',
      label: `How is the child doing in ${area}?`,
      mandatory: true,
      options: DEVELOPMENT,
    })),
    {
      id: 'progress-check-at-two',
      type: 'singleChoice',
      label: 'Has the progress check at age 2 been done?',
      options: [
        { value: 'done', text: 'Yes' },
        { value: 'not_due', text: 'Not due yet' },
        { value: 'not_done', text: 'No' },
      ],
      condition: { yearGroupIn: ['N'] },
    },
    {
      id: 'next-steps',
      type: 'longText',
      label: "What are the child's next steps in learning?",
      mandatory: true,
    },
  ],
}

export const earlyYearsV1: FormTemplate = {
  formType: 'early_years',
  version: 1,
  title: 'Early Years PEP',
  sections: [
    sectionA([
      personalInformationPage(p),
      careInformationPage(p),
      educationInformationPage(p, EARLY_YEARS_SETTINGS, [fundedHours]),
      healthAndWellbeingPage(p),
      keyContactsPage(p),
    ]),
    sectionB('teacher', [
      achievementsPage,
      symbolViewsPage(
        {
          id: 'childs-views',
          title: "The child's views",
          editableBy: [...SECTION_B_EDITORS, 'carer'],
        },
        EARLY_YEARS_ACTIVITIES,
        'the child',
        true,
      ),
      previousSchoolsPage(p),
      attendancePage(p),
      senPage(p),
      socialEmotionalPage(p),
      transitionsPage(p),
      // Reception is full-time school; nursery hours are a matter of funded hours.
      partTimeTimetablePage(p, { yearGroupIn: ['R'] }),
      exclusionsPage(p, false),
      extraSupportPage(p),
      reviewOfTargetsPage(p),
      smartTargetsPage(
        p,
        targetAreas([
          { value: 'communication_and_language', text: 'Communication and language' },
          { value: 'physical_development', text: 'Physical development' },
        ]),
      ),
      pepMeetingPage(p),
    ]),
    SECTION_D,
  ],
}
