import type { CalendarDate } from '../../domain/calendar-date.ts'
import { mayReadPart } from '../../domain/visibility.ts'
import { ROLE_NAMES, isRole } from '../../domain/roles.ts'
import {
  KEY_STAGE_NAMES,
  YEAR_GROUPS,
  YEAR_GROUP_NAMES,
  birthDateRangeFor,
  isYearGroup,
  keyStageOf,
  yearGroupOn,
  type YearGroup,
} from '../../domain/year-group.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { paths } from '../../paths.ts'
import type { ExportTable } from '../../shared/export/export-table.ts'
import {
  AREA_CHOICES,
  SEN_NAMES,
  filterItems,
  filterWords,
  type OfferedChoices,
} from '../../shared/list-filter-words.ts'
import {
  queryString,
  readListFilters,
  type ListValues,
  type Query,
} from '../../shared/list-filters.ts'
import type { PaginationModel } from '../../views/pagination.ts'
import { describePepState } from '../children/child-list.presenter.ts'
import type { CurrentPep } from '../children/current-pep.query.ts'
import type {
  MyChildRow,
  MyChildrenFilters,
  MyChildrenOrder,
  MyChildrenSort,
} from './my-children.repository.ts'

/*
 * My work's list of the children a person works with (issue 17), read and said the way every
 * list of children is (src/shared/list-filters.ts and list-filter-words.ts): the eight filters
 * (school, social worker, year group, key stage, SEN, placement type, in or out of area, and the
 * PEP's state), the sorts, the filters in words on the page and first in the export.
 */

/** The filters and sorts My work's list offers, in the query string's names. */
export const MY_WORK_FIELDS = [
  'school',
  'socialWorker',
  'year',
  'keyStage',
  'sen',
  'placement',
  'area',
  'stage',
  'sort',
  'dir',
] as const

type MyWorkValues = Pick<ListValues, (typeof MY_WORK_FIELDS)[number]>

export interface MyWorkQuery {
  values: MyWorkValues
  filters?: MyChildrenFilters
  order: MyChildrenOrder
  words: string[]
  errors?: FormErrors
  /** The query string of these filters and sort (empty, or starting "?"). */
  search: string
}

const range = (y: YearGroup, today: CalendarDate) => {
  const r = birthDateRangeFor(y, today)
  return { code: y, bornFrom: r.from, bornTo: r.to }
}

/**
 * Reads the list's filters. A value that is not one of the choices offered (the schools, social
 * workers and placement types of the person's own children) is an error naming the filter, and
 * nothing is listed for it.
 */
export function readMyWorkQuery(
  query: Query,
  choices: OfferedChoices,
  today: CalendarDate,
): MyWorkQuery {
  const asked: Query = {}
  for (const field of MY_WORK_FIELDS) asked[field] = query[field]
  // The list offers the year groups themselves (not "under 2" or "beyond Year 13").
  const year = typeof asked.year === 'string' ? asked.year.trim() : ''
  if (year && !isYearGroup(year)) asked.year = 'not-offered'
  const read = readListFilters(asked, {
    schoolIds: new Set(choices.schools.map(([id]) => id)),
    socialWorkerIds: new Set(choices.socialWorkers.map(([id]) => id)),
    placements: new Set(choices.placements),
  })
  const values = Object.fromEntries(
    MY_WORK_FIELDS.map((f) => [f, f === 'year' && year ? year.slice(0, 100) : read.values[f]]),
  ) as MyWorkValues
  const search = queryString(values)
  const order = { sort: read.sort as MyChildrenSort, direction: read.direction }
  // A value not among the choices: nothing is listed or exported, and the page names the filter.
  if (read.errors) return { values, order, words: [], errors: read.errors, search }
  const filter = read.filter
  const yearGroup = filter.yearGroup as YearGroup | undefined
  return {
    values,
    order,
    search,
    words: filterWords(filter, choices),
    filters: {
      schoolId: filter.schoolId,
      socialWorkerId: filter.socialWorkerId,
      yearGroup: yearGroup ? range(yearGroup, today) : undefined,
      keyStage: filter.keyStage
        ? YEAR_GROUPS.filter((y) => keyStageOf(y) === filter.keyStage).map((y) => range(y, today))
        : undefined,
      sen: filter.sen,
      placement: filter.placement,
      area: filter.area,
      stage: filter.stage,
    },
  }
}

/** One of my children in words, as far as my role on the child reads (ADR 10). */
export function describeMyChild(
  row: MyChildRow,
  today: CalendarDate,
  peps: ReadonlyMap<string, CurrentPep>,
) {
  const role = isRole(row.capacity) ? row.capacity : null
  const coreData = mayReadPart(role, 'core-data')
  const indicators = mayReadPart(role, 'key-indicators')
  const year = yearGroupOn(
    row.dateOfBirth,
    today,
    isYearGroup(row.yearGroupOverride) ? row.yearGroupOverride : null,
  )
  return {
    name: `${row.firstName} ${row.lastName}`,
    firstName: row.firstName,
    lastName: row.lastName,
    href: paths.children.show(row.id),
    dateOfBirth: coreData ? row.dateOfBirth : null,
    yearGroup: !indicators
      ? null
      : year.kind === 'year'
        ? YEAR_GROUP_NAMES[year.yearGroup]
        : year.kind === 'too-young'
          ? 'Under 2'
          : 'Over 18',
    keyStage:
      indicators && year.kind === 'year' ? KEY_STAGE_NAMES[keyStageOf(year.yearGroup)] : null,
    school: row.schoolName ?? 'No school recorded',
    area: AREA_CHOICES.find(
      (a) => a.value === (row.schoolName === null ? 'none' : row.schoolInArea ? 'in' : 'out'),
    )!.text,
    socialWorker: coreData ? (row.socialWorkerName ?? '') : null,
    socialWorkerHidden: !coreData,
    sen: indicators ? SEN_NAMES[row.senStatus] : null,
    placement: coreData ? (row.placement ?? 'Not recorded') : null,
    authorityName: row.authorityName,
    role: isRole(row.capacity) ? ROLE_NAMES[row.capacity] : row.capacity,
    ceased: row.status === 'ceased',
    // This term's PEP, for those whose role reads its key indicators, while in care (issue 17).
    pep: indicators && row.status === 'in_care' ? describePepState(peps.get(row.id)) : null,
  }
}

type MyChild = ReturnType<typeof describeMyChild>

/** The list's part of My work: the form's choices, the rows, the pages and the downloads. */
export function presentMyWorkList(
  query: MyWorkQuery,
  choices: OfferedChoices,
  list: { rows: MyChild[]; total: number; pagination: PaginationModel } | null,
) {
  const items = filterItems(
    { overdue: '', rating: '', review: '', flag: '', circumstance: '', ...query.values },
    choices,
  )
  const asked = query.search ? `${query.search}&` : '?'
  return {
    values: query.values,
    errors: query.errors,
    filtered: MY_WORK_FIELDS.some((f) => f !== 'sort' && f !== 'dir' && query.values[f]),
    words: query.words,
    list,
    csvHref: `${paths.myWork.export()}${asked}format=csv`,
    xlsxHref: `${paths.myWork.export()}${asked}format=xlsx`,
    filterItems: {
      schoolItems: items.schoolItems,
      socialWorkerItems: items.socialWorkerItems,
      yearItems: [
        { value: '', text: 'All year groups' },
        ...YEAR_GROUPS.map((y) => ({
          value: y,
          text: YEAR_GROUP_NAMES[y],
          selected: y === query.values.year,
        })),
      ],
      keyStageItems: items.keyStageItems,
      senItems: items.senItems,
      placementItems: items.placementItems,
      areaItems: items.areaItems,
      stageItems: items.stageItems,
      sortItems: items.sortItems,
      dirItems: items.dirItems,
    },
  }
}

/** The export: the filter's words first, then every child of the list (all pages). */
export function myWorkExport(
  rows: readonly MyChild[],
  words: readonly string[],
  today: CalendarDate,
): ExportTable<MyChild> {
  return {
    title: `my children ${today}`,
    preamble: [
      ...(words.length > 0 ? words : ['All the children I work with']),
      `Children: ${rows.length}`,
    ],
    columns: [
      { header: 'Surname', value: (c) => c.lastName },
      { header: 'First name', value: (c) => c.firstName },
      { header: 'Date of birth', value: (c) => c.dateOfBirth },
      { header: 'Year group', value: (c) => c.yearGroup },
      { header: 'Key stage', value: (c) => c.keyStage },
      { header: 'School', value: (c) => c.school },
      { header: 'In or out of area', value: (c) => c.area },
      { header: 'Social worker', value: (c) => c.socialWorker },
      { header: 'Special educational needs', value: (c) => c.sen },
      { header: 'Placement', value: (c) => c.placement },
      { header: 'Status', value: (c) => (c.ceased ? 'Ceased to be in care' : 'In care') },
      { header: 'Authority', value: (c) => c.authorityName },
      { header: 'You are their', value: (c) => c.role },
      { header: 'This term’s PEP', value: (c) => c.pep?.stage },
      { header: 'PEP target date', value: (c) => c.pep?.targetOn },
      { header: 'School’s part due', value: (c) => c.pep?.schoolDueOn },
      { header: 'Overall rating', value: (c) => c.pep?.rating },
      { header: 'Overdue', value: (c) => c.pep?.overdue.join('; ') },
    ],
    rows,
  }
}
