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
  previousSchoolsPage,
  senPage,
  socialEmotionalPage,
  transitionsPage,
} from './shared-section-b.ts'
import {
  PRIMARY_VOICE,
  SCHOOL_ACTIVITIES,
  symbolViewsPage,
  viewsPages,
} from './shared-section-c.ts'
import { SECTION_D } from './shared-section-d.ts'
import {
  SPECIAL_TARGET_AREAS,
  communicationAndSensoryPage,
  ehcPlanOutcomesPage,
  specialAttainmentPage,
  therapiesPage,
} from './shared-special.ts'
import { pepMeetingPage, reviewOfTargetsPage, smartTargetsPage } from './shared-targets.ts'
import { PRIMARY, SCHOOLS, sectionA, sectionB, sectionC, targetAreas } from './shared.ts'

/*
 * Primary Special (Years 1 to 6 at a special school): attainment on the school's own steps,
 * communication and sensory needs, EHC plan outcomes and therapies; views in words or symbols.
 */

const p = PRIMARY

export const primarySpecialV1: FormTemplate = {
  formType: 'primary_special',
  version: 1,
  title: 'Primary Special PEP',
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
      reviewOfTargetsPage(p),
      smartTargetsPage(p, targetAreas(SPECIAL_TARGET_AREAS)),
      pepMeetingPage(p),
    ]),
    sectionC([
      symbolViewsPage(
        { id: 'views-with-symbols', title: 'Your views with symbols' },
        SCHOOL_ACTIVITIES,
        'the child',
        false,
      ),
      ...viewsPages({ ...PRIMARY_VOICE, mandatory: false }),
    ]),
    SECTION_D,
  ],
}
