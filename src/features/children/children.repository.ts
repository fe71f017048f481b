import { sql, type SqlBool } from 'kysely'
import type { Database } from '../../db/connection.ts'
import { childSeenByParts, wholeAuthorities, type Viewer } from '../../shared/child-access.ts'

export interface ChildListRow {
  id: string
  firstName: string
  lastName: string
  dateOfBirth: string
  yearGroupOverride: string | null
  caseReference: string
  status: 'in_care' | 'ceased'
  schoolName: string | null
  authorityName: string
}

export interface Page<T> {
  rows: T[]
  total: number
}

export interface ChildListFilters {
  /** Part of a name, or a whole case reference or UPN. */
  search?: string
  schoolId?: string
  status?: 'in_care' | 'ceased'
  /** Dates of birth of the year group asked for, and the year group for children held out of year. */
  yearGroup?: { code: string; bornFrom: string; bornTo: string }
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`)

/**
 * One page of the children this person may see (the need-to-know rule of
 * src/shared/child-access.ts: every child of the authorities they work for as Virtual School
 * staff, and those on their access lists), by surname, filtered. The rule's two parts are read
 * separately, each up to the end of the page, and merged: a whole authority is read in name
 * order from its index (child_authority_name_idx) rather than scanned and sorted.
 */
export async function listChildrenSeenBy(
  db: Database,
  viewer: Viewer,
  filters: ChildListFilters,
  page: { offset: number; limit: number },
): Promise<Page<ChildListRow>> {
  const { wholeAuthority, onList } = childSeenByParts(viewer.id, wholeAuthorities(viewer), {
    id: 'c.id',
    authorityId: 'c.authority_id',
  })
  const parts = wholeAuthority
    ? [
        filtered(db, filters).where(wholeAuthority),
        filtered(db, filters)
          .where(sql<SqlBool>`not ${wholeAuthority}`)
          .where(onList),
      ]
    : [filtered(db, filters).where(onList)]
  const columns = [
    'c.id',
    'c.first_name',
    'c.last_name',
    'c.date_of_birth',
    'c.year_group_override',
    'c.case_reference',
    'c.status',
    'c.school_id',
    'c.authority_id',
  ] as const
  // Each part's first rows up to the end of the page, in name order, then merged.
  const [first, second] = parts.map((q, i) =>
    db
      .selectFrom(
        q
          .select(columns)
          .orderBy('c.last_name')
          .orderBy('c.first_name')
          .orderBy('c.id')
          .limit(page.offset + page.limit)
          .as(`part${i}`),
      )
      .selectAll(),
  )
  const seen = second ? first!.unionAll(second) : first!
  const onePage = db
    .selectFrom(seen.as('c'))
    .selectAll()
    .orderBy('c.last_name')
    .orderBy('c.first_name')
    .orderBy('c.id')
    .offset(page.offset)
    .limit(page.limit)
  const [rows, counts] = await Promise.all([
    db
      .selectFrom(onePage.as('c'))
      .innerJoin('authority as a', 'a.id', 'c.authority_id')
      .leftJoin('school as s', 's.id', 'c.school_id')
      .select([
        'c.id',
        'c.first_name as firstName',
        'c.last_name as lastName',
        'c.date_of_birth as dateOfBirth',
        'c.year_group_override as yearGroupOverride',
        'c.case_reference as caseReference',
        'c.status',
        's.name as schoolName',
        'a.name as authorityName',
      ])
      .orderBy('c.last_name')
      .orderBy('c.first_name')
      .orderBy('c.id')
      .execute(),
    Promise.all(
      parts.map((q) =>
        q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ),
    ),
  ])
  return { rows, total: counts.reduce((sum, c) => sum + Number(c.total), 0) }
}

/** The children table with the list's filters applied. */
function filtered(db: Database, filters: ChildListFilters) {
  let base = db.selectFrom('child as c')
  const search = filters.search?.trim()
  if (search) {
    const pattern = `${escapeLike(search.toLowerCase())}%`
    base = base.where((eb) =>
      eb.or([
        eb('c.case_reference', '=', search),
        eb('c.upn', '=', search.toUpperCase()),
        eb(eb.fn('lower', ['c.last_name']), 'like', pattern),
        eb(eb.fn('lower', ['c.first_name']), 'like', pattern),
        eb(eb.fn('lower', ['c.preferred_name']), 'like', pattern),
        eb(sql<string>`lower(c.first_name || ' ' || c.last_name)`, 'like', pattern),
      ]),
    )
  }
  if (filters.schoolId) base = base.where('c.school_id', '=', filters.schoolId)
  if (filters.status) base = base.where('c.status', '=', filters.status)
  const yearGroup = filters.yearGroup
  if (yearGroup) {
    base = base.where((eb) =>
      eb.or([
        eb('c.year_group_override', '=', yearGroup.code),
        eb.and([
          eb('c.year_group_override', 'is', null),
          eb('c.date_of_birth', '>=', yearGroup.bornFrom),
          eb('c.date_of_birth', '<=', yearGroup.bornTo),
        ]),
      ]),
    )
  }
  return base
}

/** The schools the children of these authorities attend, for the list's filter. */
export async function listSchoolsOfAuthorities(db: Database, authorityIds: readonly string[]) {
  if (authorityIds.length === 0) return []
  return db
    .selectFrom('school')
    .select(['id', 'name'])
    .where('authority_id', 'in', authorityIds)
    .orderBy('name')
    .execute()
}

export interface ChildRecord {
  id: string
  firstName: string
  lastName: string
  dateOfBirth: string
  gender: string
  upn: string | null
  caseReference: string
  enteredCareOn: string
  status: 'in_care' | 'ceased'
  schoolName: string | null
  schoolUrn: string | null
  schoolType: string | null
  authorityName: string
  preferredName: string | null
  uln: string | null
  emergencyPlacement: boolean
  legalStatus: string | null
  placement: string | null
  senStatus: 'none' | 'sen_support' | 'ehc_plan'
  yearGroupOverride: string | null
  ceasedOn: string | null
  ceasedReason: string | null
  recordOwnerName: string | null
}

/** A child's core data. Only call it once the user's right to the child is proven (child routes). */
export async function findChildRecord(
  db: Database,
  childId: string,
): Promise<ChildRecord | undefined> {
  return db
    .selectFrom('child as c')
    .innerJoin('authority as a', 'a.id', 'c.authority_id')
    .leftJoin('school as s', 's.id', 'c.school_id')
    .leftJoin('app_user as o', 'o.id', 'c.record_owner_id')
    .select([
      'c.id',
      'c.first_name as firstName',
      'c.last_name as lastName',
      'c.date_of_birth as dateOfBirth',
      'c.gender',
      'c.upn',
      'c.case_reference as caseReference',
      'c.entered_care_on as enteredCareOn',
      'c.status',
      's.name as schoolName',
      's.urn as schoolUrn',
      's.type as schoolType',
      'a.name as authorityName',
      'c.preferred_name as preferredName',
      'c.uln',
      'c.emergency_placement as emergencyPlacement',
      'c.legal_status as legalStatus',
      'c.placement',
      'c.sen_status as senStatus',
      'c.year_group_override as yearGroupOverride',
      'c.ceased_on as ceasedOn',
      'c.ceased_reason as ceasedReason',
      'o.display_name as recordOwnerName',
    ])
    .where('c.id', '=', childId)
    .executeTakeFirst()
}
