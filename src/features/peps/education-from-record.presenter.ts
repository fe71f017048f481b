import type { Answers, AnswerValue, Page } from '../../forms/types.ts'
import type { SchoolOnRecord } from './peps.repository.ts'

/*
 * Education information from the child's record (issue 15): the Virtual School keeps this page,
 * and the record already knows the type of the child's school and when they joined it. When the
 * page is opened, what it has not been told yet is filled in from the record, for the person to
 * check and save; nothing is saved for them.
 */

/** The setting type Education information offers for each type of school on the record. */
const SETTING_OF_SCHOOL_TYPE: Record<string, string> = {
  maintained: 'maintained',
  academy: 'academy',
  special: 'special',
  independent: 'independent',
  alternative_provision: 'alternative_provision',
  nursery: 'nursery_school',
  further_education: 'fe_college',
}

/** The answers the record gives this page, for the questions it asks and the options it offers. */
export function answersFromRecord(page: Page, record: SchoolOnRecord): Answers {
  const answers: Record<string, AnswerValue> = {}
  const settingType = page.questions.find((q) => q.id === 'setting-type')
  const setting = record.schoolType ? SETTING_OF_SCHOOL_TYPE[record.schoolType] : undefined
  if (
    setting &&
    settingType?.type === 'singleChoice' &&
    settingType.options.some((o) => o.value === setting)
  )
    answers['setting-type'] = setting
  if (record.since && page.questions.some((q) => q.id === 'setting-start-date'))
    answers['setting-start-date'] = record.since
  return answers
}

/** Whether a page is one the record can help fill. */
export const fillsFromRecord = (page: Page) => page.questions.some((q) => q.id === 'setting-type')
