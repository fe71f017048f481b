import { type CalendarDate } from '../../domain/calendar-date.ts'
import { filterItems, filterWords, type OfferedChoices } from '../../shared/list-filter-words.ts'
import {
  describeListedChild,
  listedChildColumns,
  type ListedChild,
  type PepState,
} from '../../shared/listed-child.ts'
import {
  keptValues,
  queryString,
  readListFilters,
  type ListValues,
  type Query,
} from '../../shared/list-filters.ts'
import type { FilterFrame } from '../../shared/cohort-filter.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import type { ExportTable } from '../../shared/export/export-table.ts'
import { paths } from '../../paths.ts'
import type { PaginationModel } from '../../views/pagination.ts'
import type {
  ChildListFilters,
  ChildListOrder,
  ChildListRow,
  ChildListSort,
  Page,
} from './children.repository.ts'

/** The filters the children list offers (the oversight list's, less the term's education). */
const LIST_FIELDS = [
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
/** The filters about this term's PEP: offered to those who may read PEPs. */
const PEP_FIELDS = ['stage', 'overdue', 'rating', 'review'] as const
const LIST_SORTS: readonly ChildListSort[] = ['name', 'school', 'year', 'worker']
/** The form's fields in the order the page shows them: the error summary follows it. */
const FORM_ORDER = ['q', ...LIST_FIELDS.slice(0, 7), 'status', ...PEP_FIELDS, 'sort', 'dir']

export interface ListQuery {
  values: { q: string; status: string } & Pick<ListValues, (typeof LIST_FIELDS)[number]>
  filters: ChildListFilters
  order: ChildListOrder
  /** The filters in words, for the page and the export's first lines. */
  words: string[]
  /** The query string of the filters kept (empty, or starting "?"). */
  search: string
  /** The list's address with these filters, for the pagination links. */
  href: string
  /** A value asked for that is not offered, by filter (the list is then of the others). */
  errors?: FormErrors
}

// eslint-disable-next-line no-control-regex -- control characters are what it removes
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g

/**
 * Reads the list's filters from the query string by the oversight list's rules
 * (src/shared/list-filters.ts): the schools of the person's authorities, and the social workers
 * and placement types of the children they may see; the PEP's state, overdue, rating and review
 * to those who may read PEPs. A value that is not among the choices is an error naming the
 * filter; the other filters are kept.
 */
export function readListQuery(
  query: Record<string, string | undefined>,
  choices: OfferedChoices,
  frame: FilterFrame,
  offersPeps: boolean,
): ListQuery {
  // Control characters are dropped: a NUL would make PostgreSQL refuse the query (a 500).
  const q = (query.q ?? '').replace(CONTROL_CHARACTERS, '').trim().slice(0, 100)
  const askedStatus = (query.status ?? '').trim().slice(0, 100)
  const status = askedStatus === 'in_care' || askedStatus === 'ceased' ? askedStatus : ''
  const asked: Query = {}
  for (const field of LIST_FIELDS) asked[field] = query[field]
  const read = readListFilters(asked, {
    schoolIds: new Set(choices.schools.map(([id]) => id)),
    socialWorkerIds: new Set(choices.socialWorkers.map(([id]) => id)),
    placements: new Set(choices.placements),
  })
  const problems = new FormProblems()
  for (const item of read.errors?.list ?? []) {
    const field = item.href.slice(1)
    problems.add(field, read.errors!.fields[field]!.text)
  }
  if (askedStatus && !status) problems.add('status', 'Select in care or ceased from the list')
  const filter = { ...read.filter }
  if (!offersPeps)
    for (const field of PEP_FIELDS)
      if (read.values[field]) {
        problems.add(field, 'You cannot filter this list by the PEP')
        delete filter[field]
      }
  let sort = read.sort as ChildListSort
  if (!(LIST_SORTS as readonly string[]).includes(read.sort)) {
    problems.add('sort', 'Select how to sort the list')
    sort = 'name'
  }
  const errors = problems.any ? inFormOrder(problems.errors) : undefined
  const filters: ChildListFilters = {
    search: q || undefined,
    status: status || undefined,
    filter,
    frame,
  }
  const values = {
    q,
    status: askedStatus,
    ...(Object.fromEntries(LIST_FIELDS.map((f) => [f, read.values[f]])) as Pick<
      ListValues,
      (typeof LIST_FIELDS)[number]
    >),
  }
  const words = [
    ...(q ? [`Name, case reference or UPN: ${q}`] : []),
    ...filterWords(filter, choices),
    ...(status ? [`Status: ${status === 'in_care' ? 'In care' : 'Ceased to be in care'}`] : []),
  ]
  const search = queryString(keptValues(values, errors))
  return {
    values,
    filters,
    order: { sort, direction: read.direction },
    words,
    search,
    href: `${paths.children.list()}${search}`,
    errors,
  }
}

function inFormOrder(errors: FormErrors): FormErrors {
  const at = (href: string) => FORM_ORDER.indexOf(href.slice(1))
  return { ...errors, list: [...errors.list].sort((a, b) => at(a.href) - at(b.href)) }
}

const allListValues = (values: ListQuery['values']): ListValues => ({
  flag: '',
  circumstance: '',
  ...values,
})

export function presentChildList(
  result: Page<ChildListRow>,
  query: ListQuery,
  choices: OfferedChoices,
  today: CalendarDate,
  pagination: PaginationModel,
  /** This term's PEP of each child on the page, for those who may read PEPs (else null). */
  peps: Map<string, PepState> | null = null,
) {
  const filtered = Object.entries(query.values).some(([k, v]) => v && k !== 'sort' && k !== 'dir')
  const items = filterItems(allListValues(query.values), choices)
  const asked = query.search ? `${query.search}&` : '?'
  return {
    pageTitle: 'Children',
    total: result.total,
    filtered,
    words: query.words,
    values: query.values,
    pagination,
    showPeps: peps !== null,
    csvHref: `${paths.children.export()}${asked}format=csv`,
    xlsxHref: `${paths.children.export()}${asked}format=xlsx`,
    rows: result.rows.map((c) => describeListedChild(c, today, peps)),
    schoolItems: items.schoolItems,
    yearItems: items.yearItems,
    keyStageItems: items.keyStageItems,
    socialWorkerItems: items.socialWorkerItems,
    senItems: items.senItems,
    areaItems: items.areaItems,
    placementItems: items.placementItems,
    stageItems: items.stageItems,
    overdueItems: items.overdueItems,
    ratingItems: items.ratingItems,
    reviewItems: items.reviewItems,
    errors: query.errors,
    sortItems: items.sortItems.filter((s) =>
      (['name', 'school', 'year', 'worker'] as string[]).includes(s.value),
    ),
    dirItems: items.dirItems,
    statusItems: [
      { value: '', text: 'In care and ceased' },
      { value: 'in_care', text: 'In care', selected: query.values.status === 'in_care' },
      { value: 'ceased', text: 'Ceased to be in care', selected: query.values.status === 'ceased' },
    ],
  }
}

/** The export: the filter's words first, then every child of the list (all pages). */
export function childListExport(
  rows: readonly ChildListRow[],
  query: ListQuery,
  today: CalendarDate,
  peps: Map<string, PepState> | null,
): ExportTable<ListedChild> {
  return {
    title: `children ${today}`,
    preamble: [
      ...(query.words.length > 0 ? query.words : ['All children']),
      `Children: ${rows.length}`,
    ],
    columns: listedChildColumns({ caseReference: true, peps: peps !== null }),
    rows: rows.map((c) => describeListedChild(c, today, peps)),
  }
}
