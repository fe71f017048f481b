import type { Condition, FormTemplate, Page, Question } from '../types.ts'
import {
  careInformationPage,
  educationInformationPage,
  healthAndWellbeingPage,
  keyContactsPage,
  personalInformationPage,
} from './shared-section-a.ts'
import {
  attendancePage,
  extraSupportPage,
  previousSchoolsPage,
  senPage,
  socialEmotionalPage,
  subjectGradesQuestion,
} from './shared-section-b.ts'
import { POST_16_VOICE, viewsPages } from './shared-section-c.ts'
import { SECTION_D } from './shared-section-d.ts'
import { withAttainmentInHistory } from './attainment-history.ts'
import { pepMeetingPage, reviewOfTargetsPage, smartTargetsPage } from './shared-targets.ts'
import { POST_16, POST_16_PROVIDERS, sectionA, sectionB, sectionC, targetAreas } from './shared.ts'

/*
 * Post-16 (Years 12 and 13). Fewer pages; what the young person is doing now, with a NEET
 * support plan when they are not in education, employment or training; an education summary
 * with the 16 to 19 bursary; and targets without Pupil Premium Plus funding.
 */

const p = POST_16

const currentParticipationPage: Page = {
  id: 'current-participation',
  title: 'Current participation in education, employment or training',
  questions: [
    {
      id: 'participation',
      type: 'singleChoice',
      label: 'What is the young person doing now?',
      name: 'what the young person is doing now',
      mandatory: true,
      options: [
        { value: 'full_time_education', text: 'Full-time education at school or college' },
        { value: 'part_time_education', text: 'Part-time education' },
        { value: 'apprenticeship', text: 'Apprenticeship' },
        { value: 'training', text: 'Supported internship or other training' },
        { value: 'employment_with_training', text: 'Employment with training' },
        { value: 'employment', text: 'Employment without training' },
        { value: 'neet', text: 'Not in education, employment or training (NEET)' },
      ],
    },
    {
      id: 'participation-since',
      type: 'date',
      label: 'When did this start?',
      mandatory: true,
    },
    {
      id: 'participation-detail',
      type: 'longText',
      label: 'What does it involve, and where?',
      hint: 'For example, the college and course, or the employer and job.',
    },
  ],
}

const neet: Condition = { answer: 'participation', equals: 'neet' }
const notNeet: Condition = { not: neet }

const neetSupportPlanPage: Page = {
  id: 'neet-support-plan',
  title: 'NEET support plan',
  intro:
    'Complete this at the PEP meeting, or a meeting about the young person being not in education, employment or training.',
  condition: neet,
  questions: [
    {
      id: 'neet-reasons',
      type: 'longText',
      label: 'Why is the young person not in education, employment or training?',
      mandatory: true,
    },
    {
      id: 'neet-interests',
      type: 'longText',
      label: 'What would the young person like to do?',
      mandatory: true,
    },
    {
      id: 'neet-barriers',
      type: 'longText',
      label: 'What is getting in the way?',
      hint: 'For example, housing, health, confidence, travel or money.',
      mandatory: true,
    },
    {
      id: 'neet-support',
      type: 'longText',
      label: 'What support is being offered?',
      hint: 'For example, from a careers adviser, a youth employment programme or the Virtual School.',
      mandatory: true,
    },
    {
      id: 'neet-actions',
      type: 'repeating',
      label: 'Actions',
      itemName: 'action',
      mandatory: true,
      fields: [
        { id: 'action', type: 'longText', label: 'What will be done?', mandatory: true },
        { id: 'responsible', type: 'text', label: 'Who will do it?', mandatory: true },
        { id: 'by-date', type: 'date', label: 'By when?', mandatory: true },
      ],
    },
    { id: 'neet-review-date', type: 'date', label: 'When will this plan be reviewed?' },
  ],
}

const educationSummaryPage: Page = {
  id: 'education-summary',
  title: 'Education summary',
  condition: notNeet,
  questions: [
    {
      id: 'course',
      type: 'text',
      label: 'What course, apprenticeship or training is the young person doing?',
      hint: 'For example, Level 3 Health and Social Care, or a Level 2 plumbing apprenticeship.',
      mandatory: true,
    },
    {
      id: 'course-level',
      type: 'singleChoice',
      label: 'What level is it?',
      name: 'the level of the course',
      mandatory: true,
      options: [
        { value: 'entry', text: 'Entry level' },
        { value: 'level_1', text: 'Level 1' },
        { value: 'level_2', text: 'Level 2' },
        { value: 'level_3', text: 'Level 3' },
        { value: 'level_4', text: 'Level 4 or above' },
      ],
    },
    { id: 'course-start-date', type: 'date', label: 'When did it start?', mandatory: true },
    { id: 'course-end-date', type: 'date', label: 'When is it due to finish?', mandatory: true },
    {
      id: 'study-hours',
      type: 'number',
      label: 'How many hours a week of study or training does the young person have?',
      name: 'the hours of study a week',
      mandatory: true,
      min: 0,
      max: 60,
      integer: false,
      suffix: 'hours a week',
    },
    {
      id: 'bursary',
      type: 'singleChoice',
      label: 'Does the young person get a 16 to 19 bursary?',
      hint: 'Young people in care on a full-time course can get the bursary for vulnerable groups.',
      mandatory: true,
      options: [
        { value: 'vulnerable', text: 'Yes, the bursary for vulnerable groups' },
        { value: 'discretionary', text: 'Yes, a discretionary bursary' },
        { value: 'applied', text: 'Applied for, waiting for a decision' },
        { value: 'no', text: 'No' },
      ],
    },
    {
      id: 'careers-guidance',
      type: 'yesNo',
      label: 'Has the young person had careers guidance this year?',
      mandatory: true,
    },
    {
      id: 'plan-after-course',
      type: 'longText',
      label: 'What does the young person plan to do after this course?',
      hint: 'For example, further study, university, an apprenticeship or work. Include any applications.',
      mandatory: true,
    },
  ],
}

const gcseQuestion = (id: string, subject: string): Question => ({
  id,
  type: 'singleChoice',
  label: `Has the young person got GCSE ${subject} at grade 4 or above?`,
  mandatory: true,
  options: [
    { value: 'achieved', text: 'Yes' },
    { value: 'studying', text: `No, and they are studying ${subject}` },
    { value: 'not_studying', text: `No, and they are not studying ${subject}` },
  ],
})

const attainmentPage: Page = {
  id: 'attainment-and-progress',
  title: 'Attainment and progress',
  condition: notNeet,
  questions: [
    {
      id: 'assessment-date',
      type: 'date',
      label: 'When were these assessments made?',
      mandatory: true,
    },
    gcseQuestion('gcse-english', 'English'),
    gcseQuestion('gcse-maths', 'maths'),
    subjectGradesQuestion('qualification'),
    {
      id: 'attainment-summary',
      type: 'longText',
      label:
        'What progress has the young person made since the last PEP, and what are the next steps?',
      mandatory: true,
    },
  ],
}

export const post16V1: FormTemplate = {
  formType: 'post_16',
  version: 1,
  title: 'Post-16 PEP',
  sections: [
    sectionA([
      personalInformationPage(p),
      careInformationPage(p),
      currentParticipationPage,
      neetSupportPlanPage,
      educationInformationPage(p, POST_16_PROVIDERS),
      healthAndWellbeingPage(p),
      keyContactsPage(p),
    ]),
    sectionB('person', [
      educationSummaryPage,
      previousSchoolsPage(p),
      attendancePage(p, notNeet),
      attainmentPage,
      senPage(p),
      socialEmotionalPage(p),
      extraSupportPage(p),
      reviewOfTargetsPage(p),
      smartTargetsPage(
        p,
        targetAreas([
          { value: 'course', text: 'Course or training' },
          { value: 'careers', text: 'Careers and next steps' },
          { value: 'independence', text: 'Independence and life skills' },
        ]),
      ),
      pepMeetingPage(p),
    ]),
    sectionC(viewsPages(POST_16_VOICE)),
    SECTION_D,
  ],
}

/**
 * Version 2: each qualification's grades in the termly attainment table only
 * (attainment-history.ts); whether English and maths are passed, or being studied, still asked.
 */
export const post16V2 = withAttainmentInHistory(post16V1, [
  'assessment-date',
  'gcse-english',
  'gcse-maths',
  'attainment-summary',
])
