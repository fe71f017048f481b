import { sql, type Expression, type SqlBool } from 'kysely'
import { placeIsLive } from '../../shared/child-access.ts'
import type { Database, Queryable } from '../../db/connection.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { PEP_STAGES, RATINGS, type CohortFilter, type PepStage } from '../../domain/oversight.ts'
import { STAFF_ROLES } from '../../domain/roles.ts'
import type { Term } from '../../domain/terms.ts'
import { childMatches, pepInStage, pepRated, type FilterFrame } from '../../shared/cohort-filter.ts'

/*
 * My work's list (issue 17): the children on this user's access lists while their places hold
 * (ADR 8), each with this term's PEP, filtered (by the one rule every list of children uses,
 * src/shared/cohort-filter.ts), sorted and paged in SQL. A filter narrows the
 * list and never widens it: every row is one of the person's own children. A filter or sort on
 * a part of the record their role on the child may not read (year group, SEN, placement, social
 * worker, the PEP's state: staff parts, ADR 10) reads nothing for that child, so a child they
 * reach only as, say, a carer never matches such a filter and sorts last.
 */

export interface MyChildRow {
  id: string
  firstName: string
  lastName: string
  dateOfBirth: string
  yearGroupOverride: string | null
  status: 'in_care' | 'ceased'
  schoolName: string | null
  schoolInArea: boolean | null
  authorityName: string
  capacity: string
  senStatus: 'none' | 'sen_support' | 'ehc_plan'
  placement: string | null
  socialWorkerName: string | null
}

export type MyChildrenSort = 'name' | 'school' | 'year' | 'worker' | 'stage' | 'target' | 'rating'
export interface MyChildrenOrder {
  sort: MyChildrenSort
  direction: 'ascending' | 'descending'
}

/** The filters every role on a child may ask of it: the school, and so in or out of area. */
const OPEN_PARTS = ['schoolId', 'area'] as const

/**
 * A filter split in two: what any role on the child may ask (the school), and what reads a
 * staff part of the record (ADR 10: the year group, SEN, placement, social worker, the PEP).
 */
function splitFilter(filter: CohortFilter): { open: CohortFilter; staff: CohortFilter } {
  const open: CohortFilter = {}
  const staff: CohortFilter = { ...filter }
  for (const part of OPEN_PARTS)
    if (filter[part] !== undefined) {
      Object.assign(open, { [part]: filter[part] })
      delete staff[part]
    }
  return { open, staff }
}

/** The user's role on the child (`ca`) is a staff role. */
const staffRole = () => sql<SqlBool>`ca.capacity in (${sql.join([...STAFF_ROLES])})`

/**
 * This user's children, with what the sorts read: the staff parts only where the user's role on
 * the child is a staff role, else null. The PEP's state and rating are the shared rule's
 * (src/shared/cohort-filter.ts), asked of this term's PEP.
 */
function mine(db: Queryable, userId: string, term: Term) {
  const staff = staffRole()
  const readable = (value: Expression<unknown>) => sql`case when ${staff} then ${value} end`
  const shownPep = sql<SqlBool>`${staff} and c.status = 'in_care'`
  // Where the PEP's state and rating stand in their lists, for sorting (nothing shown: null).
  const stageRank = sql<number | null>`case when not (${shownPep}) then null
    when p.id is null then 0
    ${sql.join(
      PEP_STAGES.slice(1).map(
        (s, i) =>
          sql`when ${pepInStage('p', s as Exclude<PepStage, 'no_pep'>)} then ${sql.lit(i + 1)}`,
      ),
      sql` `,
    )} end`
  const ratingRank = sql<number | null>`case when not (${shownPep}) or p.id is null then null
    ${sql.join(
      RATINGS.map((r, i) => sql`when ${pepRated('p', r)} then ${sql.lit(i)}`),
      sql` `,
    )} end`
  return db
    .selectFrom('child_access as ca')
    .innerJoin('child as c', 'c.id', 'ca.child_id')
    .innerJoin('authority as a', 'a.id', 'c.authority_id')
    .leftJoin('school as s', 's.id', 'c.school_id')
    .leftJoin('app_user as o', 'o.id', 'c.record_owner_id')
    .leftJoin('pep as p', (join) =>
      join
        .onRef('p.child_id', '=', 'c.id')
        .on('p.academic_year', '=', term.academicYear)
        .on('p.term', '=', term.name)
        .on('p.change_of_school', '=', false),
    )
    .select([
      'c.id',
      'c.first_name as firstName',
      'c.last_name as lastName',
      'c.date_of_birth as dateOfBirth',
      'c.year_group_override as yearGroupOverride',
      'c.status',
      'c.school_id as schoolId',
      's.name as schoolName',
      sql<boolean | null>`s.authority_id = c.authority_id`.as('schoolInArea'),
      'a.name as authorityName',
      'ca.capacity',
      'c.sen_status as senStatus',
      'c.placement',
      'o.display_name as socialWorkerName',
      readable(sql.ref('c.date_of_birth')).$castTo<CalendarDate | null>().as('sortBorn'),
      readable(sql.ref('c.record_owner_id')).$castTo<string | null>().as('ownerId'),
      readable(sql.ref('o.display_name')).$castTo<string | null>().as('sortWorker'),
      readable(sql.ref('c.placement')).$castTo<string | null>().as('sortPlacement'),
      stageRank.as('stageRank'),
      sql<CalendarDate | null>`case when ${shownPep} then p.target_on end`.as('targetOn'),
      ratingRank.as('ratingRank'),
    ])
    .where('ca.user_id', '=', userId)
    .where(placeIsLive('ca'))
}

/**
 * My children matching the filter, by the one rule of src/shared/cohort-filter.ts. A filter
 * narrows the list and never widens it; a filter on a staff part finds only children the user
 * reaches in a staff role.
 */
function filteredMine(db: Database, userId: string, filter: CohortFilter, frame: FilterFrame) {
  const { open, staff } = splitFilter(filter)
  const askedOfStaffParts = Object.keys(staff).length > 0
  return db.selectFrom(
    mine(db, userId, frame.term)
      .where(childMatches(open, frame))
      .$if(askedOfStaffParts, (q) => q.where(staffRole()).where(childMatches(staff, frame)))
      .as('m'),
  )
}

/** By the column asked, nothing recorded last, then by name and id so a page is always the same. */
function ordered(order: MyChildrenOrder) {
  const dir = order.direction === 'descending' ? sql`desc` : sql`asc`
  const key = {
    name: null,
    school: sql`m."schoolName" ${dir} nulls last`,
    // Ascending: the youngest (the lowest year group) first, by date of birth, overrides aside.
    year: sql`m."sortBorn" ${order.direction === 'descending' ? sql`asc` : sql`desc`} nulls last`,
    worker: sql`m."sortWorker" ${dir} nulls last`,
    stage: sql`m."stageRank" ${dir} nulls last`,
    target: sql`m."targetOn" ${dir} nulls last`,
    rating: sql`m."ratingRank" ${dir} nulls last`,
  }[order.sort]
  const name = order.sort === 'name' ? dir : sql`asc`
  return [...(key ? [key] : []), sql`m."lastName" ${name}`, sql`m."firstName" ${name}`, sql`m.id`]
}

/** One page of my children, filtered and sorted, and how many match in all. */
export async function listMyChildren(
  db: Database,
  userId: string,
  filter: CohortFilter,
  frame: FilterFrame,
  order: MyChildrenOrder,
  page: { offset: number; limit: number },
): Promise<{ rows: MyChildRow[]; total: number }> {
  const base = filteredMine(db, userId, filter, frame)
  const [rows, count] = await Promise.all([
    base
      .select([
        'm.id',
        'm.firstName',
        'm.lastName',
        'm.dateOfBirth',
        'm.yearGroupOverride',
        'm.status',
        'm.schoolName',
        'm.schoolInArea',
        'm.authorityName',
        'm.capacity',
        'm.senStatus',
        'm.placement',
        'm.socialWorkerName',
      ])
      .$call((q) => {
        let out = q
        for (const key of ordered(order)) out = out.orderBy(key)
        return out
      })
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.n) }
}

/**
 * The choices My work's filters offer: the schools, social workers and placement types of the
 * user's own children (the last two only where their role on the child reads them), so a
 * choice never tells of a child they do not work with.
 */
export async function listMyChildrenChoices(db: Database, userId: string, term: Term) {
  const base = () => db.selectFrom(mine(db, userId, term).as('m'))
  const [schools, workers, placements] = await Promise.all([
    base()
      .innerJoin('school as s', 's.id', 'm.schoolId')
      .select(['s.id', 's.name'])
      .distinct()
      .orderBy('s.name')
      .orderBy('s.id')
      .execute(),
    base()
      .innerJoin('app_user as o', 'o.id', 'm.ownerId')
      .select(['o.id', 'o.display_name as name'])
      .distinct()
      .orderBy('o.display_name')
      .orderBy('o.id')
      .execute(),
    base()
      .select('m.sortPlacement as placement')
      .distinct()
      .where('m.sortPlacement', 'is not', null)
      .orderBy('m.sortPlacement')
      .execute(),
  ])
  return {
    schools: schools.map((s): [string, string] => [s.id, s.name]),
    socialWorkers: workers.map((w): [string, string] => [w.id, w.name]),
    placements: placements.map((p) => p.placement!),
  }
}
