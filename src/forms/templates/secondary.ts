import type { FormTemplate, Page } from '../types.ts'
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
  plan1419Page,
  previousSchoolsPage,
  senPage,
  subjectGradesQuestion,
  socialEmotionalPage,
  transitionsPage,
} from './shared-section-b.ts'
import { SECONDARY_VOICE, viewsPages } from './shared-section-c.ts'
import { SECTION_D } from './shared-section-d.ts'
import { withAttainmentInHistory } from './attainment-history.ts'
import { pepMeetingPage, reviewOfTargetsPage, smartTargetsPage } from './shared-targets.ts'
import { SCHOOLS, SECONDARY, sectionA, sectionB, sectionC, targetAreas } from './shared.ts'

/* Secondary (Years 7 to 11, mainstream school); the 14-19 plan in Years 10 and 11. */

const p = SECONDARY

const attainmentPage: Page = {
  id: 'attainment-and-progress',
  title: 'Attainment and progress',
  intro: "Use the school's latest assessments. Always include English and maths.",
  questions: [
    {
      id: 'assessment-date',
      type: 'date',
      label: 'When were these assessments made?',
      mandatory: true,
    },
    subjectGradesQuestion('subject'),
    {
      id: 'reading-age',
      type: 'text',
      label: "What is the young person's reading age, if it has been tested?",
      hint: 'For example, 11 years 6 months.',
    },
    {
      id: 'attainment-summary',
      type: 'longText',
      label:
        'What progress has the young person made since the last PEP, and what are the next steps?',
      mandatory: true,
    },
  ],
}

export const secondaryV1: FormTemplate = {
  formType: 'secondary',
  version: 1,
  title: 'Secondary PEP',
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
      plan1419Page(p),
      reviewOfTargetsPage(p),
      smartTargetsPage(
        p,
        targetAreas([
          { value: 'other_subjects', text: 'Other subjects' },
          { value: 'careers', text: 'Careers and next steps' },
        ]),
      ),
      pepMeetingPage(p),
    ]),
    sectionC(viewsPages(SECONDARY_VOICE)),
    SECTION_D,
  ],
}

/** Version 2: each subject's grades in the termly attainment table only (attainment-history.ts). */
export const secondaryV2 = withAttainmentInHistory(secondaryV1, [
  'assessment-date',
  'reading-age',
  'attainment-summary',
])
