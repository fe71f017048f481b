import type { CalendarDate } from '../../domain/calendar-date.ts'
import { CIRCUMSTANCE_KINDS, type CircumstanceKind } from '../../domain/education-circumstance.ts'
import { CIRCUMSTANCE_SHORT } from '../../forms/circumstance-messages.ts'
import {
  cohortPlace,
  educationFlags,
  overdueKinds,
  pastReviewGap,
  pepStage,
  reviewDueBy,
  type TermFrame,
} from '../../domain/oversight.ts'
import { termKey, termLabel, type Term } from '../../domain/terms.ts'
import { KEY_STAGE_NAMES } from '../../domain/year-group.ts'
import type { ExportTable } from '../../shared/export/export-table.ts'
import { childColumns } from '../../shared/listed-child.ts'
import { paths } from '../../paths.ts'
import { formatDate } from '../../views/format.ts'
import type { PaginationModel } from '../../views/pagination.ts'
import type { CohortRow } from './cohort.query.ts'
import type { ReminderRefusal, RemindersSent } from './reminders.service.ts'
import { OVERDUE_NAMES, RATING_NAMES, STAGE_NAMES } from './dashboard.presenter.ts'
import {
  EDUCATION_FLAG_NAMES,
  YEAR_CHOICES,
  SEN_NAMES,
  filterItems,
  filterWords,
} from '../../shared/list-filter-words.ts'
export { filterItems, filterWords }
import { queryString, type ListValues, type Scope, type Sort } from '../../shared/list-filters.ts'
import { formError, type FormErrors } from '../../forms/validation.ts'

/** The list's title: the term it is of, once the scope is read. */
export const childrenTitle = (term?: Term) => (term ? `Children: ${termLabel(term)}` : 'Children')

/*
 * The list of children behind a figure, and its export: the same rows, the same words.
 */

/** One child of the list, in words. */
export interface ListedChild {
  childId: string
  name: string
  lastName: string
  firstName: string
  caseReference: string
  yearGroup: string
  keyStage: string
  school: string
  area: string
  socialWorker: string
  sen: string
  placement: string
  lastReviewOn: string
  reviewDueBy: string
  pastReviewGap: boolean
  /** The education flags in words (issue 19). */
  flags: string[]
  /** The education circumstances on the cohort's day (issue 17), each in words. */
  circumstances: string[]
  /** Each circumstance, in CIRCUMSTANCE_KINDS' order: in it on the cohort's day or not. */
  inCircumstance: Record<CircumstanceKind, boolean>
  stage: string
  targetOn: string
  schoolDueOn: string
  signedOffOn: string
  rating: string
  overdue: string[]
  pepId: string | null
}

export function describeChild(row: CohortRow, frame: TermFrame, asOf: CalendarDate): ListedChild {
  const place = cohortPlace(row, asOf)
  const pep = row.pep
  return {
    childId: row.childId,
    name: `${row.lastName}, ${row.firstName}`,
    lastName: row.lastName,
    firstName: row.firstName,
    caseReference: row.caseReference,
    yearGroup: YEAR_CHOICES.find((y) => y.value === place.yearGroup)?.text ?? '',
    keyStage: place.keyStage ? KEY_STAGE_NAMES[place.keyStage] : '',
    school: row.schoolName ?? 'No school recorded',
    area: row.schoolId === null ? '' : row.schoolInArea ? 'In area' : 'Out of area',
    socialWorker: row.socialWorkerName ?? 'Not recorded',
    sen: SEN_NAMES[row.senStatus],
    placement: row.placement ?? '',
    lastReviewOn: row.lastMeetingOn ? formatDate(row.lastMeetingOn) : '',
    reviewDueBy: formatOrBlank(reviewDueBy(row, frame)),
    pastReviewGap: pastReviewGap(row, frame),
    flags: educationFlags(row.education, frame.attendanceLine ?? 90).map(
      (f) => EDUCATION_FLAG_NAMES[f],
    ),
    circumstances: (row.circumstances ?? []).map((k) => CIRCUMSTANCE_SHORT[k]),
    inCircumstance: Object.fromEntries(
      CIRCUMSTANCE_KINDS.map((k) => [k, (row.circumstances ?? []).includes(k)]),
    ) as Record<CircumstanceKind, boolean>,
    stage: STAGE_NAMES[pepStage(pep)],
    targetOn: pep?.targetOn ? formatDate(pep.targetOn) : '',
    schoolDueOn: pep?.schoolDueOn ? formatDate(pep.schoolDueOn) : '',
    signedOffOn: pep?.signedOffOn ? formatDate(pep.signedOffOn) : '',
    rating:
      pep?.status === 'signed_off' && pep.overallRating && pep.overallRating in RATING_NAMES
        ? RATING_NAMES[pep.overallRating as keyof typeof RATING_NAMES]
        : '',
    overdue: overdueKinds(row, frame).map((k) => OVERDUE_NAMES[k]),
    pepId: pep?.id ?? null,
  }
}

const formatOrBlank = (date: CalendarDate | null) => (date ? formatDate(date) : '')

export function presentChildrenList(input: {
  scope: Scope
  values: ListValues
  children: readonly ListedChild[]
  total: number
  words: readonly string[]
  pagination: PaginationModel
}) {
  const { scope, values } = input
  const base = { authority: scope.authority.id, term: termKey(scope.term) }
  const asked = { ...base, ...values }
  const sort = values.sort || 'name'
  const direction = values.dir || 'ascending'
  // Column headers sort the list as links (no JavaScript): the sorted column says which way
  // (aria-sort), and its link turns it the other way; any other column's starts ascending.
  const sortHeader = (column: Sort, text: string) => {
    const current = sort === column
    const next = current && direction === 'ascending' ? 'descending' : 'ascending'
    return {
      text,
      ariaSort: current ? direction : 'none',
      href: `${paths.oversight.children()}${queryString({ ...asked, sort: column, dir: next })}`,
    }
  }
  return {
    headers: {
      name: sortHeader('name', 'Name'),
      year: sortHeader('year', 'Year group'),
      school: sortHeader('school', 'School or setting'),
      worker: sortHeader('worker', 'Social worker'),
      stage: sortHeader('stage', 'PEP'),
      target: sortHeader('target', 'Target date'),
      rating: sortHeader('rating', 'Rating'),
    },
    pageTitle: childrenTitle(scope.term),
    caption: `${scope.authority.name}, ${termLabel(scope.term)}`,
    total: input.total,
    words: input.words,
    rows: input.children.map((c) => ({
      ...c,
      href: paths.children.show(c.childId),
      pepHref: c.pepId ? paths.peps.contents(c.childId, c.pepId) : null,
    })),
    pagination: input.pagination,
    csvHref: `${paths.oversight.export()}${queryString({ ...asked, format: 'csv' })}`,
    xlsxHref: `${paths.oversight.export()}${queryString({ ...asked, format: 'xlsx' })}`,
    dashboardHref: `${paths.oversight.dashboard()}${queryString(base)}`,
    clearHref: `${paths.oversight.children()}${queryString(base)}`,
  }
}

/** The export: the filter's words first, then every child of the list. */
export function childrenExport(input: {
  scope: Scope
  words: readonly string[]
  children: readonly ListedChild[]
}): ExportTable<ListedChild> {
  const { scope } = input
  return {
    title: `children ${scope.authority.name} ${termLabel(scope.term)}`,
    preamble: [
      `Authority: ${scope.authority.name}`,
      `Term: ${termLabel(scope.term)}`,
      ...(input.words.length > 0 ? input.words : ['All children in care']),
      `Children: ${input.children.length}`,
    ],
    columns: [
      // Who the child is, as every list of children exports it.
      ...childColumns({ dateOfBirth: false, caseReference: true }),
      { header: 'PEP state', value: (c) => c.stage },
      { header: 'Target date', value: (c) => c.targetOn },
      { header: 'School’s part due', value: (c) => c.schoolDueOn },
      { header: 'Signed off', value: (c) => c.signedOffOn },
      { header: 'Overall rating', value: (c) => c.rating },
      { header: 'Overdue', value: (c) => c.overdue.join('; ') },
      { header: 'Last review meeting', value: (c) => c.lastReviewOn },
      { header: 'Next review due by', value: (c) => c.reviewDueBy },
      { header: 'Past the longest gap', value: (c) => (c.pastReviewGap ? 'Yes' : 'No') },
      { header: 'Attendance, exclusions and attainment', value: (c) => c.flags.join('; ') },
      ...CIRCUMSTANCE_KINDS.map((k) => ({
        header: CIRCUMSTANCE_SHORT[k],
        value: (c: ListedChild) => (c.inCircumstance[k] ? 'Yes' : 'No'),
      })),
    ],
    rows: input.children,
  }
}

export const REMINDER_REFUSALS: Record<ReminderRefusal, string> = {
  'oversight.remind.none-chosen': 'Select the children whose PEPs to send reminders about',
  'oversight.remind.not-overdue':
    'A child you selected is no longer overdue: nothing was sent. Check the list and select again',
}

export function remindersSentText(sent: RemindersSent): string {
  const people = `${sent.people} ${sent.people === 1 ? 'person' : 'people'}`
  const children = `${sent.children} ${sent.children === 1 ? 'child' : 'children'}`
  const nobody =
    sent.nobody > 0
      ? ` ${sent.nobody} ${sent.nobody === 1 ? 'child has' : 'children have'} nobody responsible to remind: check their social worker.`
      : ''
  return `Reminders sent to ${people} about ${children}.${nobody}`
}

/** Reminders the service refused to send, on the list of children. */
export const reminderErrors = (code: keyof typeof REMINDER_REFUSALS): FormErrors =>
  formError('children', REMINDER_REFUSALS[code])
