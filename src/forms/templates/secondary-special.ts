import type { FormTemplate } from '../types.ts'
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
  socialEmotionalPage,
  transitionsPage,
} from './shared-section-b.ts'
import {
  SECONDARY_VOICE,
  SCHOOL_ACTIVITIES,
  symbolViewsPage,
  viewsPages,
} from './shared-section-c.ts'
import { SECTION_D } from './shared-section-d.ts'
import {
  SPECIAL_TARGET_AREAS,
  communicationAndSensoryPage,
  ehcPlanOutcomesPage,
  preparingForAdulthoodPage,
  specialAttainmentPage,
  therapiesPage,
} from './shared-special.ts'
import { pepMeetingPage, reviewOfTargetsPage, smartTargetsPage } from './shared-targets.ts'
import { SECONDARY, SCHOOLS, sectionA, sectionB, sectionC, targetAreas } from './shared.ts'

/*
 * Secondary Special (Years 7 to 13 at a special school): as Primary Special, with the 14-19 plan
 * in Years 10 and 11 and preparing for adulthood from Year 9. Targets keep their funding in
 * every year.
 */

const p = SECONDARY

export const secondarySpecialV1: FormTemplate = {
  formType: 'secondary_special',
  version: 1,
  title: 'Secondary Special PEP',
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
      specialAttainmentPage(p),
      senPage(p),
      ehcPlanOutcomesPage(p),
      communicationAndSensoryPage(p),
      therapiesPage(p),
      socialEmotionalPage(p),
      transitionsPage(p),
      partTimeTimetablePage(p),
      exclusionsPage(p, true),
      extraSupportPage(p),
      plan1419Page(p),
      preparingForAdulthoodPage(p),
      reviewOfTargetsPage(p),
      smartTargetsPage(
        p,
        targetAreas([
          ...SPECIAL_TARGET_AREAS,
          { value: 'careers', text: 'Careers and next steps' },
        ]),
      ),
      pepMeetingPage(p),
    ]),
    sectionC([
      symbolViewsPage(
        { id: 'views-with-symbols', title: 'Your views with symbols' },
        SCHOOL_ACTIVITIES,
        'the young person',
        false,
      ),
      ...viewsPages({ ...SECONDARY_VOICE, mandatory: false }),
    ]),
    SECTION_D,
  ],
}
