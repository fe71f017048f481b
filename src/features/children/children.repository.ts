import { sql, type SqlBool } from 'kysely'
import type { Database } from '../../db/connection.ts'
import { childSeenByParts, wholeAuthorities, type Viewer } from '../../shared/child-access.ts'
import { childMatches, lastReviewOn, type FilterFrame } from '../../shared/cohort-filter.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { executePrepared } from '../../db/prepared.ts'
import type { CohortFilter } from '../../domain/oversight.ts'

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
  recordOwnerId: string | null
  placement: string | null
  senStatus: 'none' | 'sen_support' | 'ehc_plan'
  schoolInArea: boolean | null
  socialWorkerName: string | null
}

export interface Page<T> {
  rows: T[]
  total: number
}

export interface ChildListFilters {
  /** Part of a name, or a whole case reference or UPN. */
  search?: string
  status?: 'in_care' | 'ceased'
  /** The list's filters, matched by the one rule of src/shared/cohort-filter.ts. */
  filter: CohortFilter
  /** This term, seen today, with each authority's settings. */
  frame: FilterFrame
}

/** The columns the list sorts by (the oversight list's names), each way. */
export type ChildListSort = 'name' | 'school' | 'year' | 'worker'
export interface ChildListOrder {
  sort: ChildListSort
  direction: 'ascending' | 'descending'
}
const BY_NAME: ChildListOrder = { sort: 'name', direction: 'ascending' }

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
  order: ChildListOrder = BY_NAME,
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
    'c.record_owner_id',
    'c.placement',
    'c.sen_status',
    'fs.name as sort_school',
    'fo.display_name as sort_worker',
  ] as const
  // Each part's first rows up to the end of the page, in name order, then merged.
  const [first, second] = parts.map((q, i) =>
    db
      .selectFrom(
        q
          .select(columns)
          .$call(ordered(order, 'fs.name', 'fo.display_name'))
          .limit(page.offset + page.limit)
          .as(`part${i}`),
      )
      .selectAll(),
  )
  const seen = second ? first!.unionAll(second) : first!
  const onePage = db
    .selectFrom(seen.as('c'))
    .selectAll()
    .$call(ordered(order))
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
        'c.record_owner_id as recordOwnerId',
        'c.placement',
        'c.sen_status as senStatus',
        sql<boolean | null>`s.authority_id = c.authority_id`.as('schoolInArea'),
        'c.sort_worker as socialWorkerName',
      ])
      .$call(ordered(order))
      .execute(),
    Promise.all(
      parts.map((q) =>
        q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ),
    ),
  ])
  return { rows, total: counts.reduce((sum, c) => sum + Number(c.total), 0) }
}

/*
 * The order of every step of the list (each part, the merge, the page): by the column asked, then
 * by name and id so a page always holds the same rows. Nothing recorded sorts last.
 */
function ordered(
  order: ChildListOrder,
  school = 'c.sort_school',
  worker = 'c.sort_worker',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one ordering for three query shapes
): <Q extends { orderBy: any }>(q: Q) => Q {
  const dir = order.direction === 'descending' ? 'desc' : 'asc'
  const nulls = dir === 'asc' ? sql`asc nulls last` : sql`desc nulls last`
  const keys: unknown[] = {
    name: [],
    school: [sql`${sql.ref(school)} ${nulls}`],
    // The oldest first: an earlier date of birth is a higher year group (overrides aside).
    year: [sql`c.date_of_birth ${dir === 'asc' ? sql`desc` : sql`asc`}`],
    worker: [sql`${sql.ref(worker)} ${nulls}`],
  }[order.sort]
  const name = order.sort === 'name' ? dir : 'asc'
  return (q) => {
    let out = q
    for (const key of keys) out = out.orderBy(key)
    return out
      .orderBy(sql`c.last_name ${sql.raw(name)}`)
      .orderBy(sql`c.first_name ${sql.raw(name)}`)
      .orderBy('c.id')
  }
}

/** The children table with the list's filters applied. */
function filtered(db: Database, filters: ChildListFilters) {
  let base = db
    .selectFrom('child as c')
    .leftJoin('school as fs', 'fs.id', 'c.school_id')
    .leftJoin('app_user as fo', 'fo.id', 'c.record_owner_id')
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
  if (filters.status) base = base.where('c.status', '=', filters.status)
  return base.where(childMatches(filters.filter, filters.frame))
}

/**
 * The social workers, placement types and schools of the children this person may see, for the list's
 * choices: only what their own children hold, so a choice never tells of a child they cannot see.
 */
export async function listChoicesSeenBy(db: Database, viewer: Viewer) {
  const { wholeAuthority, onList } = childSeenByParts(viewer.id, wholeAuthorities(viewer), {
    id: 'c.id',
    authorityId: 'c.authority_id',
  })
  const seen = wholeAuthority ? sql<SqlBool>`(${wholeAuthority} or ${onList})` : onList
  const [workers, placements, schools] = await Promise.all([
    db
      .selectFrom('child as c')
      .innerJoin('app_user as o', 'o.id', 'c.record_owner_id')
      .select(['o.id', 'o.display_name as name'])
      .distinct()
      .where(seen)
      .orderBy('o.display_name')
      .orderBy('o.id')
      .execute(),
    db
      .selectFrom('child as c')
      .select('c.placement')
      .distinct()
      .where(seen)
      .where('c.placement', 'is not', null)
      .orderBy('c.placement')
      .execute(),
    // The schools their children attend, out of the authority's area too.
    db
      .selectFrom('child as c')
      .innerJoin('school as s', 's.id', 'c.school_id')
      .select(['s.id', 's.name'])
      .distinct()
      .where(seen)
      .execute(),
  ])
  return { socialWorkers: workers, placements: placements.map((p) => p.placement!), schools }
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

/** The record's own facts beside its core data: what the review gap and the clocks need. */
export interface ChildRecordFacts extends ChildRecord {
  authorityId: string
  /** The last review held by today (lastReviewOn), null if none. */
  lastMeetingOn: CalendarDate | null
  /** The authority's settings as stored (read with readAuthoritySettings). */
  storedSettings: Record<string, unknown>
}

/**
 * A child's core data, with the last review held by `today` and the authority's stored settings
 * in the same row (the record read the child three times and the settings once more). Run as a
 * prepared statement (db/prepared.ts): the record is opened often, and planning this join cost
 * more than running it. Only call it once the user's right to the child is proven (child
 * routes).
 */
export async function findChildRecord(
  db: Database,
  childId: string,
  today: CalendarDate,
): Promise<ChildRecordFacts | undefined> {
  const [row] = await executePrepared(
    db,
    db
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
        'c.authority_id as authorityId',
        lastReviewOn('c.id', today).as('lastMeetingOn'),
        sql<Record<string, unknown>>`(select coalesce(jsonb_object_agg(st.key, st.value), '{}')
          from authority_setting st where st.authority_id = c.authority_id)`.as('storedSettings'),
      ])
      .where('c.id', '=', childId),
  )
  return row
}
