import { type CalendarDate } from '../../domain/calendar-date.ts'
import {
  YEAR_GROUP_NAMES,
  YEAR_GROUPS,
  birthDateRangeFor,
  isYearGroup,
  yearGroupOn,
} from '../../domain/year-group.ts'
import { paths } from '../../paths.ts'
import type { PaginationModel } from '../../views/pagination.ts'
import type { ChildListFilters, ChildListRow, Page } from './children.repository.ts'
import type { CurrentPep } from './current-pep.query.ts'
import { OVERDUE_NAMES, RATING_NAMES, STAGE_NAMES } from '../../domain/oversight.ts'

/**
 * A PEP's state in words, for the children list, My work and the child's PEPs tab: its stage as
 * the Virtual School says it, the target date, the school's part's due date, the overall rating
 * once signed off, and how it is overdue. No PEP this term reads "No PEP yet".
 */
export function describePepState(pep: CurrentPep | undefined) {
  return {
    stage: STAGE_NAMES[pep?.stage ?? 'no_pep'],
    targetOn: pep?.targetOn ?? null,
    schoolDueOn: pep?.schoolDueOn ?? null,
    rating: pep?.rating ? RATING_NAMES[pep.rating] : null,
    overdue: (pep?.overdue ?? []).map((k) => OVERDUE_NAMES[k]),
  }
}

export interface ListQuery {
  values: { q: string; school: string; status: string; year: string }
  filters: ChildListFilters
  /** The list's address with these filters, for the pagination links. */
  href: string
}

/** Reads the list's filters from the query string, ignoring anything that is not one of the choices. */
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g

export function readListQuery(
  query: Record<string, string | undefined>,
  schools: { id: string }[],
  today: CalendarDate,
): ListQuery {
  // Control characters are dropped: a NUL would make PostgreSQL refuse the query (a 500).
  const q = (query.q ?? '').replace(CONTROL_CHARACTERS, '').trim().slice(0, 100)
  const school = schools.some((s) => s.id === query.school) ? query.school! : ''
  const status = query.status === 'in_care' || query.status === 'ceased' ? query.status : ''
  const year = isYearGroup(query.year) ? query.year : ''
  const filters: ChildListFilters = {
    search: q || undefined,
    schoolId: school || undefined,
    status: status || undefined,
    yearGroup: year ? { code: year, ...renameRange(birthDateRangeFor(year, today)) } : undefined,
  }
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries({ q, school, status, year }))
    if (value) params.set(key, value)
  const search = params.toString()
  return {
    values: { q, school, status, year },
    filters,
    href: `${paths.children.list()}${search ? `?${search}` : ''}`,
  }
}

function renameRange(range: { from: string; to: string }) {
  return { bornFrom: range.from, bornTo: range.to }
}

export function presentChildList(
  result: Page<ChildListRow>,
  query: ListQuery,
  schools: { id: string; name: string }[],
  today: CalendarDate,
  pagination: PaginationModel,
  /** This term's PEP of each child on the page, for those who may read PEPs (else null). */
  peps: Map<string, CurrentPep> | null = null,
) {
  const filtered = Object.values(query.values).some(Boolean)
  return {
    pageTitle: 'Children',
    total: result.total,
    filtered,
    values: query.values,
    pagination,
    showPeps: peps !== null,
    rows: result.rows.map((c) => {
      const pep = peps?.get(c.id)
      const year = yearGroupOn(
        c.dateOfBirth,
        today,
        isYearGroup(c.yearGroupOverride) ? c.yearGroupOverride : null,
      )
      return {
        href: paths.children.show(c.id),
        name: `${c.lastName}, ${c.firstName}`,
        dateOfBirth: c.dateOfBirth,
        yearGroup:
          year.kind === 'year'
            ? YEAR_GROUP_NAMES[year.yearGroup]
            : year.kind === 'too-young'
              ? 'Under 2'
              : 'Over 18',
        caseReference: c.caseReference,
        school: c.schoolName ?? 'No school recorded',
        ceased: c.status === 'ceased',
        authorityName: c.authorityName,
        // A child who has ceased to be in care has no PEP due.
        pep: peps && c.status === 'in_care' ? describePepState(pep) : null,
      }
    }),
    schoolItems: [
      { value: '', text: 'All schools' },
      ...schools.map((s) => ({
        value: s.id,
        text: s.name,
        selected: s.id === query.values.school,
      })),
    ],
    yearItems: [
      { value: '', text: 'All year groups' },
      ...YEAR_GROUPS.map((y) => ({
        value: y,
        text: YEAR_GROUP_NAMES[y],
        selected: y === query.values.year,
      })),
    ],
    statusItems: [
      { value: '', text: 'In care and ceased' },
      { value: 'in_care', text: 'In care', selected: query.values.status === 'in_care' },
      { value: 'ceased', text: 'Ceased to be in care', selected: query.values.status === 'ceased' },
    ],
  }
}
