import { sql, type Expression, type SqlBool } from 'kysely'
import { placeIsLive } from '../../shared/child-access.ts'
import type { Database, Queryable } from '../../db/connection.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { PEP_STAGES, RATINGS, type PepStage } from '../../domain/oversight.ts'
import { STAFF_ROLES } from '../../domain/roles.ts'
import type { Term } from '../../domain/terms.ts'

/*
 * My work's list (issue 17): the children on this user's access lists while their places hold
 * (ADR 8), each with this term's PEP, filtered, sorted and paged in SQL. A filter narrows the
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

/** A year group's code and the dates of birth it holds (a child held out of year by its code). */
export interface YearGroupRange {
  code: string
  bornFrom: CalendarDate
  bornTo: CalendarDate
}

export interface MyChildrenFilters {
  schoolId?: string
  socialWorkerId?: string
  yearGroup?: YearGroupRange
  /** The year groups of a key stage. */
  keyStage?: YearGroupRange[]
  sen?: 'any' | 'sen_support' | 'ehc_plan'
  /** A placement type; '' for none recorded. */
  placement?: string
  area?: 'in' | 'out' | 'none'
  /** This term's PEP's state (domain/oversight.ts's stages). */
  stage?: PepStage
}

export type MyChildrenSort = 'name' | 'school' | 'year' | 'worker' | 'stage' | 'target' | 'rating'
export interface MyChildrenOrder {
  sort: MyChildrenSort
  direction: 'ascending' | 'descending'
}

/** The step back from the Virtual School that makes an in-progress PEP "returned". */
const STEPS = ['submitted-to-vs', 'returned-for-improvement', 'returned-by-bso']

/**
 * This user's children, with what the filters and sorts read: the staff parts only where the
 * user's role on the child is a staff role, else null.
 */
function mine(db: Queryable, userId: string, term: Term) {
  const staff = sql<SqlBool>`ca.capacity in (${sql.join([...STAFF_ROLES])})`
  const readable = (value: Expression<unknown>) => sql`case when ${staff} then ${value} end`
  // The PEP's stage as domain/oversight.ts's pepStage says it, for staff while in care.
  const stage = sql<PepStage | null>`case
    when not ${staff} or c.status <> 'in_care' then null
    when p.id is null then 'no_pep'
    when p.status <> 'in_progress' then p.status::text
    when (select e.kind from pep_event e where e.pep_id = p.id and e.kind in (${sql.join(STEPS)})
          order by e.at desc limit 1) in ('returned-for-improvement', 'returned-by-bso')
      then 'returned'
    when exists (select 1 from pep_delegation d where d.pep_id = p.id and d.status = 'delegated'
                 and d.part_of is null) then 'with_school'
    else 'in_progress' end`
  const shownPep = sql<SqlBool>`${staff} and c.status = 'in_care'`
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
    .leftJoin('pep_page as qa', (join) =>
      join.onRef('qa.pep_id', '=', 'p.id').on('qa.page_id', '=', 'quality-assurance'),
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
      staff.as('readable'),
      readable(sql.ref('c.date_of_birth')).$castTo<CalendarDate | null>().as('sortBorn'),
      readable(sql.ref('c.year_group_override')).$castTo<string | null>().as('sortOverride'),
      readable(sql.ref('c.record_owner_id')).$castTo<string | null>().as('ownerId'),
      readable(sql.ref('o.display_name')).$castTo<string | null>().as('sortWorker'),
      readable(sql.ref('c.sen_status')).$castTo<string | null>().as('sen'),
      readable(sql.ref('c.placement')).$castTo<string | null>().as('sortPlacement'),
      stage.as('stage'),
      sql<CalendarDate | null>`case when ${shownPep} then p.target_on end`.as('targetOn'),
      sql<
        string | null
      >`case when ${shownPep} and p.status = 'signed_off' then qa.answers ->> 'qa-overall' end`.as(
        'rating',
      ),
    ])
    .where('ca.user_id', '=', userId)
    .where(placeIsLive('ca'))
}

function inYearGroup(y: YearGroupRange) {
  return sql<SqlBool>`(m."sortOverride" = ${y.code} or (m."sortOverride" is null
    and m."sortBorn" >= ${y.bornFrom} and m."sortBorn" <= ${y.bornTo}))`
}

/** The filters, each a condition on a row of `mine` (alias m). */
function conditions(filters: MyChildrenFilters): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = []
  if (filters.schoolId) where.push(sql<SqlBool>`m."schoolId" = ${filters.schoolId}`)
  if (filters.socialWorkerId) where.push(sql<SqlBool>`m."ownerId" = ${filters.socialWorkerId}`)
  if (filters.yearGroup) where.push(inYearGroup(filters.yearGroup))
  if (filters.keyStage)
    where.push(
      filters.keyStage.length === 0
        ? sql<SqlBool>`false`
        : sql<SqlBool>`(${sql.join(filters.keyStage.map(inYearGroup), sql` or `)})`,
    )
  if (filters.sen === 'any') where.push(sql<SqlBool>`m.sen in ('sen_support', 'ehc_plan')`)
  else if (filters.sen) where.push(sql<SqlBool>`m.sen = ${filters.sen}`)
  if (filters.placement === '') where.push(sql<SqlBool>`m.readable and m."sortPlacement" is null`)
  else if (filters.placement) where.push(sql<SqlBool>`m."sortPlacement" = ${filters.placement}`)
  if (filters.area === 'none') where.push(sql<SqlBool>`m."schoolId" is null`)
  else if (filters.area === 'in') where.push(sql<SqlBool>`m."schoolInArea" = true`)
  else if (filters.area === 'out') where.push(sql<SqlBool>`m."schoolInArea" = false`)
  if (filters.stage) where.push(sql<SqlBool>`m.stage = ${filters.stage}`)
  return where
}

/** Where a value sits in a list of choices, for sorting by the list's order (nothing: null). */
const rank = (column: string, values: readonly string[]) =>
  sql`case ${sql.ref(column)} ${sql.join(
    values.map((v, i) => sql`when ${sql.lit(v)} then ${sql.lit(i)}`),
    sql` `,
  )} end`

/** By the column asked, nothing recorded last, then by name and id so a page is always the same. */
function ordered(order: MyChildrenOrder) {
  const dir = order.direction === 'descending' ? sql`desc` : sql`asc`
  const key = {
    name: null,
    school: sql`m."schoolName" ${dir} nulls last`,
    // Ascending: the youngest (the lowest year group) first, by date of birth, overrides aside.
    year: sql`m."sortBorn" ${order.direction === 'descending' ? sql`asc` : sql`desc`} nulls last`,
    worker: sql`m."sortWorker" ${dir} nulls last`,
    stage: sql`${rank('m.stage', PEP_STAGES)} ${dir} nulls last`,
    target: sql`m."targetOn" ${dir} nulls last`,
    rating: sql`${rank('m.rating', RATINGS)} ${dir} nulls last`,
  }[order.sort]
  const name = order.sort === 'name' ? dir : sql`asc`
  return [...(key ? [key] : []), sql`m."lastName" ${name}`, sql`m."firstName" ${name}`, sql`m.id`]
}

function filteredMine(db: Database, userId: string, term: Term, filters: MyChildrenFilters) {
  const where = conditions(filters)
  let q = db.selectFrom(mine(db, userId, term).as('m'))
  for (const w of where) q = q.where(w)
  return q
}

/** One page of my children, filtered and sorted, and how many match in all. */
export async function listMyChildren(
  db: Database,
  userId: string,
  term: Term,
  filters: MyChildrenFilters,
  order: MyChildrenOrder,
  page: { offset: number; limit: number },
): Promise<{ rows: MyChildRow[]; total: number }> {
  const base = filteredMine(db, userId, term, filters)
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
