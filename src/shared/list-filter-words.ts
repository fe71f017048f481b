import { CIRCUMSTANCE_KINDS } from '../domain/education-circumstance.ts'
import { CIRCUMSTANCE_SHORT } from '../forms/circumstance-messages.ts'
import {
  EDUCATION_FLAGS,
  OVERDUE_KINDS,
  OVERDUE_NAMES,
  PEP_STAGES,
  RATINGS,
  RATING_NAMES,
  STAGE_NAMES,
  type CohortFilter,
  type EducationFlag,
} from '../domain/oversight.ts'
import { KEY_STAGE_NAMES, YEAR_GROUPS, YEAR_GROUP_NAMES } from '../domain/year-group.ts'
import { NO_PLACEMENT, type ListValues, type Sort, type SortDirection } from './list-filters.ts'

/*
 * The lists of children's filters in words (ADR 11): the choices of the filter form, and the
 * words a page and an export say the filter in. The Virtual School's oversight list and the
 * children list share them, so a filter reads the same wherever it is asked.
 */

/** The schools, social workers and placement types offered: only those of children the person may see. */
export interface OfferedChoices {
  schools: [string, string][]
  socialWorkers: [string, string][]
  placements: string[]
}

export const EDUCATION_FLAG_NAMES: Record<EducationFlag, string> = {
  persistent_absence: 'Persistently absent (missed 10% or more)',
  severe_absence: 'Severely absent (missed 50% or more)',
  below_line: 'Attendance below the authority’s line',
  excluded: 'Suspended or excluded this term',
  not_making_progress: 'Not making expected progress',
}

export const REVIEW_GAP_NAME = 'Past the longest gap between reviews'

export const YEAR_CHOICES = [
  { value: 'under_2', text: 'Under 2' },
  ...YEAR_GROUPS.map((y) => ({ value: y, text: YEAR_GROUP_NAMES[y] as string })),
  { value: 'beyond_13', text: 'Beyond Year 13' },
]
export const KEY_STAGE_CHOICES = Object.entries(KEY_STAGE_NAMES).map(([value, text]) => ({
  value,
  text,
}))
export const SEN_NAMES = { none: 'None', sen_support: 'SEN support', ehc_plan: 'EHC plan' } as const
export const SEN_CHOICES = [
  { value: 'any', text: 'SEN support or an EHC plan' },
  { value: 'sen_support', text: 'SEN support' },
  { value: 'ehc_plan', text: 'EHC plan' },
]
export const AREA_CHOICES = [
  { value: 'in', text: 'At a school in the authority’s area' },
  { value: 'out', text: 'At a school out of the area' },
  { value: 'none', text: 'No school recorded' },
]
export const SORT_CHOICES: { value: Sort; text: string }[] = [
  { value: 'name', text: 'Name' },
  { value: 'year', text: 'Year group' },
  { value: 'school', text: 'School' },
  { value: 'worker', text: 'Social worker' },
  { value: 'stage', text: 'PEP state' },
  { value: 'target', text: 'Target date' },
  { value: 'rating', text: 'Overall rating' },
]
export const DIRECTION_CHOICES: { value: SortDirection; text: string }[] = [
  { value: 'ascending', text: 'Ascending (A to Z, earliest first)' },
  { value: 'descending', text: 'Descending (Z to A, latest first)' },
]
const REVIEW_CHOICES = [{ value: 'past_gap', text: REVIEW_GAP_NAME }]
const CIRCUMSTANCE_CHOICES = CIRCUMSTANCE_KINDS.map((k) => ({
  value: k,
  text: CIRCUMSTANCE_SHORT[k],
}))
const FLAG_CHOICES = EDUCATION_FLAGS.map((f) => ({ value: f, text: EDUCATION_FLAG_NAMES[f] }))

/** The filters in words: for the page's summary and the export's first lines. */
export function filterWords(filter: CohortFilter, choices: OfferedChoices): string[] {
  const words: string[] = []
  if (filter.stage) words.push(`PEP state: ${STAGE_NAMES[filter.stage]}`)
  if (filter.overdue) words.push(`Overdue: ${OVERDUE_NAMES[filter.overdue]}`)
  if (filter.schoolId)
    words.push(`School: ${choices.schools.find(([id]) => id === filter.schoolId)?.[1] ?? ''}`)
  if (filter.yearGroup)
    words.push(`Year group: ${YEAR_CHOICES.find((y) => y.value === filter.yearGroup)?.text ?? ''}`)
  if (filter.keyStage) words.push(`Key stage: ${KEY_STAGE_NAMES[filter.keyStage]}`)
  if (filter.socialWorkerId)
    words.push(
      `Social worker: ${choices.socialWorkers.find(([id]) => id === filter.socialWorkerId)?.[1] ?? ''}`,
    )
  if (filter.sen)
    words.push(
      `Special educational needs: ${SEN_CHOICES.find((s) => s.value === filter.sen)?.text ?? ''}`,
    )
  if (filter.area)
    words.push(`Area: ${AREA_CHOICES.find((a) => a.value === filter.area)?.text ?? ''}`)
  if (filter.rating) words.push(`Overall rating: ${RATING_NAMES[filter.rating]}`)
  if (filter.review) words.push(`Reviews: ${REVIEW_GAP_NAME}`)
  if (filter.flag) words.push(`Education: ${EDUCATION_FLAG_NAMES[filter.flag]}`)
  if (filter.circumstance)
    words.push(`Provision and timetable: ${CIRCUMSTANCE_SHORT[filter.circumstance]}`)
  if (filter.placement !== undefined)
    words.push(`Placement: ${filter.placement === '' ? 'Not recorded' : filter.placement}`)
  return words
}

const items = (
  choices: readonly { value: string; text: string }[],
  chosen: string,
  all: string,
) => [{ value: '', text: all }, ...choices.map((c) => ({ ...c, selected: c.value === chosen }))]

/** The filter form's choices, with what was asked kept. */
export function filterItems(values: ListValues, choices: OfferedChoices) {
  return {
    stageItems: items(
      PEP_STAGES.map((s) => ({ value: s, text: STAGE_NAMES[s] })),
      values.stage,
      'Any state',
    ),
    overdueItems: items(
      [...OVERDUE_KINDS, 'any' as const].map((k) => ({ value: k, text: OVERDUE_NAMES[k] })),
      values.overdue,
      'Overdue or not',
    ),
    schoolItems: items(
      choices.schools.map(([value, text]) => ({ value, text })),
      values.school,
      'All schools',
    ),
    yearItems: items(YEAR_CHOICES, values.year, 'All year groups'),
    keyStageItems: items(KEY_STAGE_CHOICES, values.keyStage, 'All key stages'),
    socialWorkerItems: items(
      choices.socialWorkers.map(([value, text]) => ({ value, text })),
      values.socialWorker,
      'All social workers',
    ),
    senItems: items(SEN_CHOICES, values.sen, 'Any'),
    areaItems: items(AREA_CHOICES, values.area, 'In or out of the area'),
    ratingItems: items(
      RATINGS.map((r) => ({ value: r, text: RATING_NAMES[r] })),
      values.rating,
      'Any rating',
    ),
    reviewItems: items(REVIEW_CHOICES, values.review, 'Any'),
    flagItems: items(FLAG_CHOICES, values.flag, 'Any'),
    circumstanceItems: items(CIRCUMSTANCE_CHOICES, values.circumstance, 'Any'),
    placementItems: items(
      [
        ...choices.placements.map((p) => ({ value: p, text: p })),
        { value: NO_PLACEMENT, text: 'Not recorded' },
      ],
      values.placement,
      'All placement types',
    ),
    sortItems: SORT_CHOICES.map((s) => ({ ...s, selected: s.value === (values.sort || 'name') })),
    dirItems: DIRECTION_CHOICES.map((d) => ({
      ...d,
      selected: d.value === (values.dir || 'ascending'),
    })),
  }
}
