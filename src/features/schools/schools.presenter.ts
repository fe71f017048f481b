import { SCHOOL_PHASES, SCHOOL_TYPES } from '../../domain/school.ts'
import { paths } from '../../paths.ts'
import { formatDate } from '../../views/format.ts'
import type { PaginationModel } from '../../views/pagination.ts'
import type { SchoolRow } from './schools.repository.ts'
import { option, phaseName, typeName } from './school.form.ts'

/* The schools pages as plain view models: their titles, words and rows (ADR 7). */

export const SCHOOLS_TITLE = 'Schools'
export const NEW_SCHOOL_TITLE = 'Add a school'
export const IMPORT_TITLE = 'Import schools from a CSV file'
export const editTitle = (school: SchoolRow) => `Change ${school.name}`
export const convertTitle = (school: SchoolRow) => `Record an academy conversion – ${school.name}`

export const URN_TAKEN = (urn: string) => `URN ${urn} is already used by another school`

export interface SchoolFilterValues {
  q: string
  type: string
  phase: string
  status: string
}

export function schoolListModel(input: {
  values: SchoolFilterValues
  total: number
  rows: SchoolRow[]
  manyAuthorities: boolean
  pagination: PaginationModel
}) {
  const { q, type, phase, status } = input.values
  return {
    pageTitle: SCHOOLS_TITLE,
    values: input.values,
    filtered: Boolean(q || type || phase || status),
    total: input.total,
    manyAuthorities: input.manyAuthorities,
    pagination: input.pagination,
    rows: input.rows.map((s) => ({
      href: paths.schools.show(s.id),
      name: s.name,
      urn: s.urn ?? '',
      dfeNumber: s.dfeNumber ?? '',
      type: typeName(s.type),
      phase: phaseName(s.phase),
      open: s.open,
      authorityName: s.authorityName,
    })),
    typeItems: [
      option('', 'All types', type),
      ...Object.entries(SCHOOL_TYPES).map(([v, t]) => option(v, t, type)),
    ],
    phaseItems: [
      option('', 'All phases', phase),
      ...Object.entries(SCHOOL_PHASES).map(([v, t]) => option(v, t, phase)),
    ],
    statusItems: [
      option('', 'Open and closed', status),
      option('open', 'Open', status),
      option('closed', 'Closed', status),
    ],
  }
}

export function schoolPageModel(
  school: SchoolRow,
  lineage: { predecessors: SchoolRow[]; successors: SchoolRow[] },
  children: number,
) {
  const link = (s: SchoolRow, words: string) => ({
    href: paths.schools.show(s.id),
    text: `${s.name} (URN ${s.urn ?? 'none'})`,
    words,
  })
  return {
    pageTitle: school.name,
    school: {
      name: school.name,
      open: school.open,
      rows: [
        { key: { text: 'URN' }, value: { text: school.urn ?? 'Not recorded' } },
        {
          key: { text: 'DfE establishment number' },
          value: { text: school.dfeNumber ?? 'Not recorded' },
        },
        { key: { text: 'Type' }, value: { text: typeName(school.type) } },
        { key: { text: 'Phase' }, value: { text: phaseName(school.phase) } },
        {
          key: { text: 'Status' },
          value: {
            text: school.open
              ? `Open${school.openedOn ? ` since ${formatDate(school.openedOn)}` : ''}`
              : `Closed${school.closedOn ? ` on ${formatDate(school.closedOn)}` : ''}`,
          },
        },
        { key: { text: 'Authority' }, value: { text: school.authorityName } },
        { key: { text: 'Children in care here' }, value: { text: String(children) } },
      ],
    },
    predecessors: lineage.predecessors.map((s) =>
      link(s, `closed ${s.closedOn ? formatDate(s.closedOn) : ''}`.trim()),
    ),
    successors: lineage.successors.map((s) =>
      link(s, s.openedOn ? `opened ${formatDate(s.openedOn)}` : ''),
    ),
    editHref: paths.schools.edit(school.id),
    convertHref:
      school.open && lineage.successors.length === 0 ? paths.schools.convert(school.id) : undefined,
  }
}

export const convertedMessage = (school: SchoolRow, academyName: string, children: number) =>
  `${school.name} converted to ${academyName}: ${children} ${children === 1 ? 'child' : 'children'} moved to the academy`

export const importedMessage = (count: number) =>
  `${count} ${count === 1 ? 'school' : 'schools'} added`
