import type { CalendarDate } from '../domain/calendar-date.ts'
import { isCircumstanceKind } from '../domain/education-circumstance.ts'
import {
  isEducationFlag,
  isOverdueKind,
  isPepStage,
  isRating,
  type CohortFilter,
  type EducationFlag,
  type OverdueKind,
  type PepStage,
  type Rating,
} from '../domain/oversight.ts'
import { ACTIONS, type Action } from '../domain/permissions.ts'
import type { Role } from '../domain/roles.ts'
import {
  compareTerms,
  parseTermKey,
  previousTerm,
  termKey,
  termOf,
  type Term,
} from '../domain/terms.ts'
import { isYearGroup, type KeyStage } from '../domain/year-group.ts'
import { FormProblems, type FormErrors } from '../forms/validation.ts'
import type { CurrentUser } from './users.ts'

/*
 * The oversight pages' questions, read from the query string (GET forms, so every view can be
 * bookmarked and works without JavaScript): which authority, which term, and the list's filters.
 * A value that is not one of the choices is an error the page shows, with what was asked kept;
 * nothing is shown for it. The authority must be one where the person holds a role allowed the
 * action: Virtual School staff of another authority, or a social worker here, get nothing.
 */

export interface OverseenAuthority {
  id: string
  name: string
}

/** The authorities where this person may take the action (in the order of their memberships). */
export function authoritiesFor(
  user: Pick<CurrentUser, 'memberships'>,
  action: Action,
): OverseenAuthority[] {
  const allowed: readonly Role[] = ACTIONS[action]
  const seen = new Map<string, OverseenAuthority>()
  for (const m of user.memberships)
    if (allowed.includes(m.role) && !seen.has(m.authorityId))
      seen.set(m.authorityId, { id: m.authorityId, name: m.authorityName })
  return [...seen.values()]
}

export type Query = Record<string, string | string[] | undefined>

const one = (value: string | string[] | undefined): string =>
  (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim().slice(0, 100)

export interface Scope {
  authority: OverseenAuthority
  term: Term
}

export interface ScopeAnswer {
  /** What was asked, to show again. */
  values: { authority: string; term: string }
  scope?: Scope
  errors?: FormErrors
}

/** The authority and term asked for: this term and the first authority unless told otherwise. */
export function readScope(
  query: Query,
  authorities: readonly OverseenAuthority[],
  today: CalendarDate,
): ScopeAnswer {
  const problems = new FormProblems()
  const askedAuthority = one(query.authority)
  const askedTerm = one(query.term)
  const authority = askedAuthority
    ? authorities.find((a) => a.id === askedAuthority)
    : authorities[0]
  if (!authority) problems.add('authority', 'Select an authority whose Virtual School you work in')
  const current = termOf(today)
  let term: Term | undefined = current
  if (askedTerm) {
    term = parseTermKey(askedTerm)
    if (!term) problems.add('term', 'Select a term from the list')
    else if (compareTerms(term, current) > 0) {
      problems.add('term', 'The term must be this term or an earlier one')
      term = undefined
    }
  }
  const values = { authority: authority?.id ?? askedAuthority, term: askedTerm || termKey(current) }
  if (problems.any || !authority || !term) return { values, errors: problems.errors }
  return { values, scope: { authority, term } }
}

/** The terms offered: this term and the eight before it (three academic years). */
export function termChoices(today: CalendarDate, chosen?: Term): Term[] {
  const terms: Term[] = []
  let term = termOf(today)
  for (let i = 0; i < 9; i++) {
    terms.push(term)
    term = previousTerm(term)
  }
  if (chosen && !terms.some((t) => compareTerms(t, chosen) === 0)) terms.push(chosen)
  return terms
}

export const SORTS = ['name', 'school', 'year', 'worker', 'stage', 'target', 'rating'] as const
export type Sort = (typeof SORTS)[number]
export type SortDirection = 'ascending' | 'descending'

/** The value of the placement filter for children with no placement recorded. */
export const NO_PLACEMENT = 'not-recorded'

export interface ListValues {
  stage: string
  overdue: string
  school: string
  year: string
  keyStage: string
  socialWorker: string
  sen: string
  area: string
  rating: string
  review: string
  flag: string
  circumstance: string
  placement: string
  sort: string
  dir: string
}

export const LIST_FIELDS: readonly (keyof ListValues)[] = [
  'stage',
  'overdue',
  'school',
  'year',
  'keyStage',
  'socialWorker',
  'sen',
  'area',
  'rating',
  'review',
  'flag',
  'circumstance',
  'placement',
  'sort',
  'dir',
]

const KEY_STAGES: readonly KeyStage[] = ['EYFS', 'KS1', 'KS2', 'KS3', 'KS4', 'KS5']

export interface ListAnswer {
  /** What was asked, to show again (a value not offered too: the page names it in its error). */
  values: ListValues
  /** The filters asked for that are among the choices (with errors, the others kept). */
  filter: CohortFilter
  sort: Sort
  direction: SortDirection
  errors?: FormErrors
}

/**
 * The list's filters. The school and social worker must be among those offered (the cohort's);
 * every other value must be one of its choices. A value that is not is an error naming the
 * filter, never dropped in silence: the page shows it with the other filters kept, and an
 * export is refused rather than widened.
 */
export function readListFilters(
  query: Query,
  offered: {
    schoolIds: ReadonlySet<string>
    socialWorkerIds: ReadonlySet<string>
    placements?: ReadonlySet<string>
  },
): ListAnswer {
  const values = Object.fromEntries(
    LIST_FIELDS.map((f) => [f, one(query[f])]),
  ) as unknown as ListValues
  const problems = new FormProblems()
  const filter: CohortFilter = {}
  if (values.stage) {
    if (isPepStage(values.stage)) filter.stage = values.stage as PepStage
    else problems.add('stage', 'Select a PEP state from the list')
  }
  if (values.overdue) {
    if (values.overdue === 'any' || isOverdueKind(values.overdue))
      filter.overdue = values.overdue as OverdueKind | 'any'
    else problems.add('overdue', 'Select how overdue from the list')
  }
  if (values.school) {
    if (offered.schoolIds.has(values.school)) filter.schoolId = values.school
    else problems.add('school', 'Select a school from the list')
  }
  if (values.year) {
    if (isYearGroup(values.year) || values.year === 'under_2' || values.year === 'beyond_13')
      filter.yearGroup = values.year
    else problems.add('year', 'Select a year group from the list')
  }
  if (values.keyStage) {
    if ((KEY_STAGES as readonly string[]).includes(values.keyStage))
      filter.keyStage = values.keyStage as KeyStage
    else problems.add('keyStage', 'Select a key stage from the list')
  }
  if (values.socialWorker) {
    if (offered.socialWorkerIds.has(values.socialWorker))
      filter.socialWorkerId = values.socialWorker
    else problems.add('socialWorker', 'Select a social worker from the list')
  }
  if (values.sen) {
    if (values.sen === 'any' || values.sen === 'sen_support' || values.sen === 'ehc_plan')
      filter.sen = values.sen
    else problems.add('sen', 'Select special educational needs from the list')
  }
  if (values.area) {
    if (values.area === 'in' || values.area === 'out' || values.area === 'none')
      filter.area = values.area
    else problems.add('area', 'Select in or out of the authority’s area from the list')
  }
  if (values.rating) {
    if (isRating(values.rating)) filter.rating = values.rating as Rating
    else problems.add('rating', 'Select a rating from the list')
  }
  if (values.review) {
    if (values.review === 'past_gap') filter.review = 'past_gap'
    else problems.add('review', 'Select reviews from the list')
  }
  if (values.flag) {
    if (isEducationFlag(values.flag)) filter.flag = values.flag as EducationFlag
    else problems.add('flag', 'Select attendance, exclusions or attainment from the list')
  }
  if (values.circumstance) {
    if (isCircumstanceKind(values.circumstance)) filter.circumstance = values.circumstance
    else
      problems.add(
        'circumstance',
        'Select alternative provision, a part-time timetable or NEET from the list',
      )
  }
  if (values.placement) {
    if (values.placement === NO_PLACEMENT) filter.placement = ''
    else if (offered.placements?.has(values.placement)) filter.placement = values.placement
    else problems.add('placement', 'Select a placement type from the list')
  }
  let sort: Sort = 'name'
  if (values.sort) {
    if ((SORTS as readonly string[]).includes(values.sort)) sort = values.sort as Sort
    else problems.add('sort', 'Select how to sort the list')
  }
  let direction: SortDirection = 'ascending'
  if (values.dir) {
    if (values.dir === 'ascending' || values.dir === 'descending') direction = values.dir
    else problems.add('dir', 'Select ascending or descending')
  }
  if (problems.any) return { values, filter, sort, direction, errors: problems.errors }
  return { values, filter, sort, direction }
}

/** The values asked for less those in error: the filters kept, for the export's and paging's links. */
export function keptValues<V extends object>(values: V, errors?: FormErrors): V {
  if (!errors) return values
  const kept = { ...values }
  for (const field of Object.keys(errors.fields))
    if (field in kept) (kept as Record<string, string>)[field] = ''
  return kept
}

/** The query string of a scope and filters (only the values given), for links and pages. */
export function queryString(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value)
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** The filters as the audit trail records them: what was asked, only the known fields. */
export function auditedQuery(query: unknown): Record<string, unknown> {
  const q = (query ?? {}) as Query
  const asked: Record<string, string> = {}
  for (const field of ['authority', 'term', 'year', 'format', 'page', ...LIST_FIELDS]) {
    const value = one(q[field])
    if (value) asked[field] = value
  }
  return { filters: asked }
}

/** The list's filters from a posted form (the reminder form carries them to show the list again). */
export function pickListQuery(body: Query): Query {
  const picked: Query = {}
  for (const field of LIST_FIELDS) {
    const value = one(body[field])
    if (value) picked[field] = value
  }
  return picked
}
