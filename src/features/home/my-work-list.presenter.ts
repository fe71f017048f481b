import type { CalendarDate } from '../../domain/calendar-date.ts'
import type { CohortFilter } from '../../domain/oversight.ts'
import { mayReadPart } from '../../domain/visibility.ts'
import { ROLE_NAMES, isRole } from '../../domain/roles.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { paths } from '../../paths.ts'
import type { ExportTable } from '../../shared/export/export-table.ts'
import { filterItems, filterWords, type OfferedChoices } from '../../shared/list-filter-words.ts'
import {
  describeListedChild,
  listedChildColumns,
  type PepState,
} from '../../shared/listed-child.ts'
import {
  queryString,
  readListFilters,
  type ListValues,
  type Query,
} from '../../shared/list-filters.ts'
import type { PaginationModel } from '../../views/pagination.ts'
import type { MyChildRow, MyChildrenOrder, MyChildrenSort } from './my-children.repository.ts'

/** My work's title. */
export const MY_WORK_TITLE = 'My work'

/*
 * My work's list of the children a person works with (issue 17), read and said the way every
 * list of children is (src/shared/list-filters.ts, list-filter-words.ts and listed-child.ts):
 * the filters (school, social worker, year group, key stage, SEN, placement type, in or out of
 * area, and this term's PEP: its state, overdue, rating and review), the sorts, the filters in
 * words on the page and first in the export, and the same export columns.
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
  'overdue',
  'rating',
  'review',
  'sort',
  'dir',
] as const

type MyWorkValues = Pick<ListValues, (typeof MY_WORK_FIELDS)[number]>

export interface MyWorkQuery {
  values: MyWorkValues
  /** The list's filter (none when a value asked is not among the choices). */
  filter?: CohortFilter
  order: MyChildrenOrder
  words: string[]
  errors?: FormErrors
  /** The query string of these filters and sort (empty, or starting "?"). */
  search: string
}

/**
 * Reads the list's filters, as every list of children does (src/shared/list-filters.ts). A
 * value that is not one of the choices offered (the schools, social workers and placement types
 * of the person's own children) is an error naming the filter, and nothing is listed for it.
 */
export function readMyWorkQuery(query: Query, choices: OfferedChoices): MyWorkQuery {
  const asked: Query = {}
  for (const field of MY_WORK_FIELDS) asked[field] = query[field]
  const read = readListFilters(asked, {
    schoolIds: new Set(choices.schools.map(([id]) => id)),
    socialWorkerIds: new Set(choices.socialWorkers.map(([id]) => id)),
    placements: new Set(choices.placements),
  })
  const values = Object.fromEntries(MY_WORK_FIELDS.map((f) => [f, read.values[f]])) as MyWorkValues
  const search = queryString(values)
  const order = { sort: read.sort as MyChildrenSort, direction: read.direction }
  // A value not among the choices: nothing is listed or exported, and the page names the filter.
  if (read.errors) return { values, order, words: [], errors: read.errors, search }
  return { values, order, search, words: filterWords(read.filter, choices), filter: read.filter }
}

/** One of my children in words, as far as my role on the child reads (ADR 10). */
export function describeMyChild(
  row: MyChildRow,
  today: CalendarDate,
  peps: ReadonlyMap<string, PepState>,
) {
  const role = isRole(row.capacity) ? row.capacity : null
  const reads = {
    coreData: mayReadPart(role, 'core-data'),
    keyIndicators: mayReadPart(role, 'key-indicators'),
  }
  return {
    ...describeListedChild(row, today, peps, reads),
    socialWorkerHidden: !reads.coreData,
    role: role ? ROLE_NAMES[role] : row.capacity,
  }
}

type MyChild = ReturnType<typeof describeMyChild>

/** The list's part of My work: the form's choices, the rows, the pages and the downloads. */
export function presentMyWorkList(
  query: MyWorkQuery,
  choices: OfferedChoices,
  list: { rows: MyChild[]; total: number; pagination: PaginationModel } | null,
) {
  const items = filterItems({ flag: '', circumstance: '', ...query.values }, choices)
  const asked = query.search ? `${query.search}&` : '?'
  return {
    values: query.values,
    errors: query.errors,
    filtered: MY_WORK_FIELDS.some((f) => f !== 'sort' && f !== 'dir' && query.values[f]),
    words: query.words,
    list,
    csvHref: `${paths.myWork.export()}${asked}format=csv`,
    xlsxHref: `${paths.myWork.export()}${asked}format=xlsx`,
    filterItems: items,
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
    columns: listedChildColumns<MyChild>({
      caseReference: false,
      own: [{ header: 'You are their', value: (c) => c.role }],
      peps: true,
    }),
    rows,
  }
}
