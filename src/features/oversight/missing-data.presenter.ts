import type { SchoolMissingData } from '../../domain/oversight.ts'
import { termKey, termLabel, type Term } from '../../domain/terms.ts'
import { paths } from '../../paths.ts'
import type { CohortRow } from './cohort.query.ts'
import type { MissingDataRefusal, MissingDataReminders } from './missing-data.service.ts'
import { queryString, type Scope } from '../../shared/list-filters.ts'
import { formError, type FormErrors } from '../../forms/validation.ts'

/** The page's title: the term it is of, once the scope is read. */
export const missingDataTitle = (term?: Term) =>
  `Schools that have not sent this term’s data${term ? `: ${termLabel(term)}` : ''}`

/*
 * The schools that have not given the term's attendance or attainment (issue 19): the words, and
 * the rows in the order of the school's name (then its id, so two schools of one name keep one
 * order).
 */

export function presentMissingData(input: {
  scope: Scope
  missing: readonly SchoolMissingData[]
  rows: readonly CohortRow[]
  canRemind: boolean
}) {
  const { scope } = input
  const base = { authority: scope.authority.id, term: termKey(scope.term) }
  const names = new Map(input.rows.map((r) => [r.schoolId, r.schoolName ?? 'School']))
  const schools = input.missing
    .map((s) => ({
      schoolId: s.schoolId,
      name: names.get(s.schoolId) ?? 'School',
      children: s.children,
      noAttendance: s.noAttendance.length,
      noAttainment: s.noAttainment.length,
      listHref: `${paths.oversight.children()}${queryString({ ...base, school: s.schoolId })}`,
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.schoolId.localeCompare(b.schoolId))
  return {
    pageTitle: missingDataTitle(scope.term),
    caption: `${scope.authority.name}, ${termLabel(scope.term)}`,
    schools,
    canRemind: input.canRemind && schools.length > 0,
    dashboardHref: `${paths.oversight.dashboard()}${queryString(base)}`,
  }
}

export const MISSING_DATA_REFUSALS: Record<MissingDataRefusal, string> = {
  'oversight.missing-data.none-chosen': 'Select the schools to ask for this term’s data',
  'oversight.missing-data.nothing-missing':
    'A school you selected has now sent this term’s data: nothing was sent. Check the list and select again',
}

export function missingDataSentText(sent: MissingDataReminders): string {
  const schools = `${sent.schools} ${sent.schools === 1 ? 'school' : 'schools'}`
  const people = `${sent.people} ${sent.people === 1 ? 'designated teacher' : 'designated teachers'}`
  const nobody =
    sent.nobody > 0
      ? ` ${sent.nobody} ${sent.nobody === 1 ? 'child has' : 'children have'} no designated teacher to ask: check their access list.`
      : ''
  return `Asked ${schools} for this term’s data: ${people} reminded.${nobody}`
}

/** Requests the service refused to send, on the list of schools. */
export const missingDataErrors = (code: keyof typeof MISSING_DATA_REFUSALS): FormErrors =>
  formError('schools', MISSING_DATA_REFUSALS[code])
