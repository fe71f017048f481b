import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import type { AuthoritySettings } from '../../domain/authority-settings.ts'
import {
  RATINGS,
  type CohortFacts,
  type EducationFacts,
  type TermFrame,
} from '../../domain/oversight.ts'
import { termEnd, termKey, termStart, type Term } from '../../domain/terms.ts'
import { termWindowDeadline } from '../../domain/timescales.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { closureDaySet } from '../../shared/settings.ts'
import { CIRCUMSTANCE_KINDS, type CircumstanceKind } from '../../domain/education-circumstance.ts'
import type { CohortFilter } from '../../domain/oversight.ts'
import {
  VS_STEPS,
  authorityRules,
  childMatches,
  lastReviewOn,
  pepStageOrder,
  subjectsBehindTwoTerms,
  yearGroupOrder,
  type FilterFrame,
} from '../../shared/cohort-filter.ts'
import type { Sort, SortDirection } from '../../shared/list-filters.ts'
import type { OfferedChoices } from '../../shared/list-filter-words.ts'

/*
 * The oversight report's SQL (ADR 7: a report's reads live beside its routes, never in the write
 * repositories; its bench budget is in bench/run.ts). One read gives every child of the
 * authority's cohort for a term with the facts about the term's PEP; the list filters them, and
 * the dashboard counts them in the database (figures.query.ts), with the same rules
 * (src/shared/cohort-filter.ts, as domain/oversight.ts), so they agree.
 *
 * The cohort of a term: the authority's children in care on its "as of" day (the term's last day,
 * or today while the term runs): entered care on or before it, and not ceased on or before it.
 * The term's PEP is the one PEP a term (an extra review after a change of school is not it).
 */

/** A child of the cohort, with what the list shows beside the facts. */
export interface CohortRow extends CohortFacts {
  firstName: string
  lastName: string
  caseReference: string
  schoolName: string | null
  socialWorkerName: string | null
}

/** How a list of the cohort is ordered, and the page of it asked for. */
export interface CohortListing {
  sort: Sort
  direction: SortDirection
  /** One page of the list; without it, every row in order (an export). */
  page?: { offset: number; limit: number }
}

/**
 * The authority's cohort on the day with the term's PEP and its Section D: the term's PEPs (the
 * one PEP a term) of the authority's children, who are its own (a PEP is in its child's authority:
 * pep_child_authority_fkey), read as one range of pep_authority_term_idx and joined to the
 * children, or looked up by each child's key (pep_one_per_term_key) when a list's page is short:
 * the planner chooses. Never the term's PEPs of every authority.
 */
function cohortOf(db: Queryable, authorityId: string, term: Term, asOf: CalendarDate) {
  return childrenOf(db, authorityId, asOf).leftJoin(
    (eb) =>
      eb
        .selectFrom('pep as tp')
        .select([
          'tp.id',
          'tp.child_id',
          'tp.status',
          'tp.target_on',
          'tp.meeting_on',
          'tp.started_on',
          'tp.signed_off_at',
          // Section D's overall rating and the participation (kept on the PEP's row from its
          // answers, migration t17dash01), shown and counted only once signed off.
          sql<string | null>`case when tp.status = 'signed_off' then tp.qa_overall end`.as(
            'overall',
          ),
          sql<string | null>`case when tp.status = 'signed_off' then tp.qa_participated end`.as(
            'participated',
          ),
        ])
        .where('tp.authority_id', '=', authorityId)
        .where('tp.academic_year', '=', term.academicYear)
        .where('tp.term', '=', term.name)
        .where('tp.change_of_school', '=', false)
        .as('p'),
    (join) => join.onRef('p.child_id', '=', 'c.id'),
  )
}

/** The authority's children in care on the day (the cohort), with their school. */
function childrenOf(db: Queryable, authorityId: string, asOf: CalendarDate) {
  return db
    .selectFrom('child as c')
    .leftJoin('school as s', 's.id', 'c.school_id')
    .where('c.authority_id', '=', authorityId)
    .where('c.entered_care_on', '<=', asOf)
    .where((eb) => eb.or([eb('c.ceased_on', 'is', null), eb('c.ceased_on', '>', asOf)]))
}

/** The columns sorted by that are the term PEP's. */
const BY_PEP: readonly Sort[] = ['stage', 'target', 'rating']

/**
 * The order of a list, as SQL over the cohort's read (`c`, `s`, `p`): by the column asked, then by
 * name (surname, first name, case-blind) and the child's id, A to Z whichever way the column is
 * sorted, so a page never changes between two loads. Blanks (no school, no target date, no
 * rating) go last both ways. The PEP's stage and the year group are the rules of
 * src/shared/cohort-filter.ts.
 */
function listOrder(listing: CohortListing, asOf: CalendarDate): RawBuilder<unknown> {
  const dir = sql.raw(listing.direction === 'descending' ? 'desc' : 'asc')
  const byName = (d: RawBuilder<unknown>) =>
    sql`lower(c.last_name) ${d}, lower(c.first_name) ${d}, c.id ${d}`
  const last = sql`${dir} nulls last`
  const asc = sql.raw('asc')
  switch (listing.sort) {
    case 'name':
      return byName(dir)
    case 'school':
      return sql`s.name ${last}, ${byName(asc)}`
    case 'year':
      return sql`${yearGroupOrder(asOf)} ${dir}, ${byName(asc)}`
    case 'worker':
      return sql`(select o.display_name from app_user o where o.id = c.record_owner_id) ${last}, ${byName(asc)}`
    case 'stage':
      return sql`${pepStageOrder('p')} ${dir}, ${byName(asc)}`
    case 'target':
      return sql`p.target_on ${last}, ${byName(asc)}`
    case 'rating':
      return sql`(case when p.status = 'signed_off' then array_position(${sql.val([...RATINGS])}::text[], p.overall) end) ${last}, ${byName(asc)}`
  }
}

/**
 * The cohort of a term (a list's filter applied, if given), one row a child; with a listing, in
 * its order and only its page, with the number of rows of the whole list.
 */
export async function readCohort(
  db: Queryable,
  authorityId: string,
  term: Term,
  asOf: CalendarDate,
  /** Only the children matching a list's filter (src/shared/cohort-filter.ts), if given. */
  matching?: RawBuilder<SqlBool>,
  listing?: CohortListing,
): Promise<{ rows: CohortRow[]; total: number }> {
  const base = cohortOf(db, authorityId, term, asOf)
  const cohort = base.$if(matching !== undefined, (q) => q.where(matching!))
  // A list is ordered and paged first, from the columns it sorts by and the filter; only the
  // page's children are then looked up in full, in the page's order (`n`).
  // The term's PEP is read for the order only when sorting by one of its columns.
  const sorted =
    listing && !BY_PEP.includes(listing.sort)
      ? childrenOf(db, authorityId, asOf).$if(matching !== undefined, (q) => q.where(matching!))
      : cohort
  const ranked = listing
    ? sorted
        .select([
          'c.id',
          sql<number>`row_number() over (order by ${listOrder(listing, asOf)})`.as('n'),
          sql<number>`count(*) over ()`.as('total'),
        ])
        .orderBy('n')
        .$if(listing.page !== undefined, (q) =>
          q.offset(listing.page!.offset).limit(listing.page!.limit),
        )
    : undefined
  // One statement, one row a child. Each other fact is a look-up by the row's own key (the
  // record owner's name, the last review, the live delegation, the last step to or back from
  // the Virtual School), so the database never reads a whole table to hash it (60,000 people at
  // national size, read in full for 3,000 names) nor all the term's events. JIT is off on the
  // app's connections (db/connection.ts): compiling this plan cost more than running it.
  const rows = await (ranked ? base.innerJoin(ranked.as('r'), 'r.id', 'c.id') : cohort)
    .select([
      'c.id as childId',
      'c.first_name as firstName',
      'c.last_name as lastName',
      'c.case_reference as caseReference',
      'c.date_of_birth as dateOfBirth',
      'c.year_group_override as yearGroupOverride',
      'c.school_id as schoolId',
      's.name as schoolName',
      sql<boolean | null>`s.authority_id = c.authority_id`.as('schoolInArea'),
      'c.sen_status as senStatus',
      'c.record_owner_id as recordOwnerId',
      (eb) =>
        eb
          .selectFrom('app_user as o')
          .select('o.display_name')
          .whereRef('o.id', '=', 'c.record_owner_id')
          .as('socialWorkerName'),
      'c.entered_care_on as enteredCareOn',
      'c.placement',
      lastReviewOn('c.id', asOf).as('lastMeetingOn'),
      'p.id as pepId',
      'p.status as pepStatus',
      'p.target_on as targetOn',
      'p.meeting_on as meetingOn',
      'p.started_on as startedOn',
      sql<CalendarDate | null>`(p.signed_off_at at time zone 'Europe/London')::date`.as(
        'signedOffOn',
      ),
      (eb) =>
        eb
          .selectFrom('pep_delegation as d')
          .select('d.due_on')
          .whereRef('d.pep_id', '=', 'p.id')
          .where('d.status', '=', 'delegated')
          .where('d.part_of', 'is', null)
          .limit(1)
          .as('schoolDueOn'),
      (eb) =>
        eb
          .selectFrom('pep_event as e')
          .select('e.kind')
          // Only an in-progress PEP can have been returned (a null key reads nothing otherwise).
          .where(sql<SqlBool>`e.pep_id = (case when p.status = 'in_progress' then p.id end)`)
          .where('e.kind', 'in', VS_STEPS)
          .orderBy('e.at', 'desc')
          .limit(1)
          .as('lastStep'),
      'p.overall as overallRating',
      'p.participated',
      ...(ranked ? [sql<number>`r.total`.as('total')] : []),
    ])
    .$if(ranked !== undefined, (q) => q.orderBy(sql`r.n`))
    .execute()
  let total = rows.length
  if (ranked) {
    const first = rows[0] as { total?: number | string } | undefined
    if (first?.total !== undefined) total = Number(first.total)
    else if (listing?.page && listing.page.offset > 0)
      // A page past the end: the number of rows of the whole list, alone.
      total = Number(
        (await cohort.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
      )
  }
  return {
    total,
    rows: rows.map((r) => ({
      childId: r.childId,
      firstName: r.firstName,
      lastName: r.lastName,
      caseReference: r.caseReference,
      dateOfBirth: r.dateOfBirth,
      yearGroupOverride: r.yearGroupOverride,
      schoolId: r.schoolId,
      schoolName: r.schoolName,
      schoolInArea: r.schoolId === null ? null : Boolean(r.schoolInArea),
      senStatus: r.senStatus,
      recordOwnerId: r.recordOwnerId,
      socialWorkerName: r.socialWorkerName,
      enteredCareOn: r.enteredCareOn,
      placement: r.placement,
      lastMeetingOn: (r.lastMeetingOn as CalendarDate | null) ?? null,
      pep:
        r.pepId && r.pepStatus
          ? {
              id: r.pepId,
              status: r.pepStatus,
              targetOn: r.targetOn,
              meetingOn: r.meetingOn,
              startedOn: r.startedOn,
              signedOffOn: r.signedOffOn,
              schoolDueOn: r.schoolDueOn,
              returned:
                r.pepStatus === 'in_progress' &&
                (r.lastStep === 'returned-for-improvement' || r.lastStep === 'returned-by-bso'),
              overallRating: r.overallRating,
              participated:
                r.participated === 'yes' ? true : r.participated === 'no' ? false : null,
            }
          : null,
    })),
  }
}

export interface TermRatings {
  term: string
  signedOff: number
  ratings: Record<string, number>
}

/**
 * The trend: for each of the given terms, the authority's signed-off PEPs (the term's one PEP)
 * counted by their overall rating. Aggregated in SQL: one row per term and rating, from the
 * PEPs' rows alone (the rating is kept on them from Section D, migration t17dash01; its index,
 * pep_quality_rating_idx, holds every column asked), never Section D's answers.
 */
export async function ratingsByTerm(
  db: Queryable,
  authorityId: string,
  terms: readonly Term[],
): Promise<TermRatings[]> {
  if (terms.length === 0) return []
  const rows = await db
    .selectFrom('pep as p')
    .select([
      'p.academic_year as academicYear',
      'p.term',
      'p.qa_overall as rating',
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('p.authority_id', '=', authorityId)
    .where('p.status', '=', 'signed_off')
    .where('p.change_of_school', '=', false)
    // The terms' years as one range too, so the index is read as one range of its entries
    // (an index-only scan) rather than once a term with every PEP's row fetched.
    .where('p.academic_year', '>=', Math.min(...terms.map((t) => t.academicYear)))
    .where('p.academic_year', '<=', Math.max(...terms.map((t) => t.academicYear)))
    .where((eb) =>
      eb.or(
        terms.map((t) =>
          eb.and([eb('p.academic_year', '=', t.academicYear), eb('p.term', '=', t.name)]),
        ),
      ),
    )
    .groupBy(['p.academic_year', 'p.term', 'p.qa_overall'])
    .execute()
  return terms.map((t) => {
    const mine = rows.filter((r) => r.academicYear === t.academicYear && r.term === t.name)
    const ratings: Record<string, number> = {}
    for (const r of mine) if (r.rating) ratings[r.rating] = (ratings[r.rating] ?? 0) + Number(r.n)
    return {
      term: termKey(t),
      signedOff: mine.reduce((sum, r) => sum + Number(r.n), 0),
      ratings,
    }
  })
}

/**
 * Each quality assurance criterion's ratings in a term: the term's signed-off PEPs of the cohort
 * counted by criterion and rating, aggregated in SQL from Section D's answers.
 */
export async function criteriaRatings(
  db: Queryable,
  authorityId: string,
  term: Term,
  asOf: CalendarDate,
): Promise<{ criterion: string; rating: string; n: number }[]> {
  const rows = await db
    .selectFrom('pep as p')
    .innerJoin('child as c', 'c.id', 'p.child_id')
    .innerJoin('pep_page as qa', (join) =>
      join.onRef('qa.pep_id', '=', 'p.id').on('qa.page_id', '=', 'quality-assurance'),
    )
    .innerJoin(sql<{ key: string; value: string }>`jsonb_each_text(qa.answers)`.as('a'), (join) =>
      join.onTrue(),
    )
    .select(['a.key as criterion', 'a.value as rating', (eb) => eb.fn.countAll<number>().as('n')])
    .where('p.authority_id', '=', authorityId)
    .where('p.academic_year', '=', term.academicYear)
    .where('p.term', '=', term.name)
    .where('p.change_of_school', '=', false)
    .where('p.status', '=', 'signed_off')
    .where('c.authority_id', '=', authorityId)
    .where('c.entered_care_on', '<=', asOf)
    .where((eb) => eb.or([eb('c.ceased_on', 'is', null), eb('c.ceased_on', '>', asOf)]))
    .where('a.key', 'like', 'qa-%')
    .where('a.key', 'not in', ['qa-overall', 'qa-comments', 'qa-young-person-participated'])
    .groupBy(['a.key', 'a.value'])
    .execute()
  return rows.map((r) => ({ criterion: r.criterion, rating: r.rating, n: Number(r.n) }))
}

/**
 * The education facts of the authority's children in a term (issue 19), aggregated in SQL, one
 * row per child with any: the sessions of their current attendance periods that overlap the
 * term up to its as-of day (a period spanning two terms counts in both), their exclusions in
 * that time, and the subjects not making expected progress (the one rule, subjectsBehindTwoTerms).
 */
export async function readEducation(
  db: Queryable,
  authorityId: string,
  term: Term,
  asOf: CalendarDate,
): Promise<Map<string, EducationFacts>> {
  const from = termStart(term)
  const [attendance, exclusions, behind, attainment] = await Promise.all([
    db
      .selectFrom('attendance_period as a')
      .innerJoin('child as c', 'c.id', 'a.child_id')
      .select([
        'a.child_id as childId',
        (eb) => eb.fn.sum<number>('a.sessions_possible').as('possible'),
        (eb) => eb.fn.sum<number>('a.sessions_attended').as('attended'),
      ])
      .where('c.authority_id', '=', authorityId)
      .where('a.superseded_at', 'is', null)
      .where('a.starts_on', '<=', asOf)
      .where('a.ends_on', '>=', from)
      .groupBy('a.child_id')
      .execute(),
    db
      .selectFrom('exclusion as x')
      .innerJoin('child as c', 'c.id', 'x.child_id')
      .select(['x.child_id as childId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('c.authority_id', '=', authorityId)
      .where('x.starts_on', '<=', asOf)
      .where(sql<boolean>`coalesce(x.ends_on, x.starts_on) >= ${from}`)
      .groupBy('x.child_id')
      .execute(),
    sql<{ childId: string; n: number }>`
      select t.child_id as "childId", count(*) as n
      from (${subjectsBehindTwoTerms(
        term,
        sql<SqlBool>`e.child_id in (select id from child where authority_id = ${authorityId})`,
      )}) t
      group by t.child_id`.execute(db),
    db
      .selectFrom('attainment_entry as e')
      .innerJoin('child as c', 'c.id', 'e.child_id')
      .select('e.child_id as childId')
      .distinct()
      .where('c.authority_id', '=', authorityId)
      .where('e.superseded_at', 'is', null)
      .where('e.academic_year', '=', term.academicYear)
      .where('e.term', '=', term.name)
      .execute(),
  ])
  const facts = new Map<string, EducationFacts>()
  const of = (childId: string) => {
    let f = facts.get(childId)
    if (!f) {
      f = { possible: 0, attended: 0, exclusions: 0, subjectsBehind: 0 }
      facts.set(childId, f)
    }
    return f
  }
  for (const r of attendance) {
    const f = of(r.childId)
    f.possible = Number(r.possible)
    f.attended = Number(r.attended)
    f.attendanceGiven = true
  }
  for (const r of attainment) of(r.childId).attainmentGiven = true
  for (const r of exclusions) of(r.childId).exclusions = Number(r.n)
  for (const r of behind.rows) of(r.childId).subjectsBehind = Number(r.n)
  return facts
}

/**
 * The education circumstances each of the authority's children is in on `on` (issue 17), in one
 * grouped read: a period counts from its first day to its last, both included, and an open one
 * runs on. One row per child and kind, in CIRCUMSTANCE_KINDS' order.
 */
export async function readCircumstancesOn(
  db: Queryable,
  authorityId: string,
  on: CalendarDate,
): Promise<Map<string, CircumstanceKind[]>> {
  const rows = await db
    .selectFrom('child_education_circumstance as e')
    .innerJoin('child as c', 'c.id', 'e.child_id')
    .select(['e.child_id as childId', 'e.kind'])
    .where('c.authority_id', '=', authorityId)
    .where('e.starts_on', '<=', on)
    .where((eb) => eb.or([eb('e.ends_on', 'is', null), eb('e.ends_on', '>=', on)]))
    .groupBy(['e.child_id', 'e.kind'])
    .execute()
  const byChild = new Map<string, CircumstanceKind[]>()
  for (const r of rows) {
    const kinds = byChild.get(r.childId) ?? []
    kinds.push(r.kind)
    byChild.set(r.childId, kinds)
  }
  for (const kinds of byChild.values())
    kinds.sort((a, b) => CIRCUMSTANCE_KINDS.indexOf(a) - CIRCUMSTANCE_KINDS.indexOf(b))
  return byChild
}

/** A term's cohort read for one authority, with what its figures are measured against. */
export interface TermCohort {
  /** The cohort's children (a listing's page of them, if asked for one). */
  rows: CohortRow[]
  /** The number of children in the list (all of the rows when not paged). */
  total: number
  frame: TermFrame
  /** The cohort's day: the term's last day, or today while it runs. */
  asOf: CalendarDate
  termStart: CalendarDate
  /** The authority's closure days, for the initial PEPs' working-day timescales. */
  closures: ReadonlySet<CalendarDate>
  settings: AuthoritySettings
}

/** What a term's figures are measured against, on `today`, by the authority's settings. */
export function termFrame(term: Term, today: CalendarDate, settings: AuthoritySettings): TermFrame {
  return {
    today,
    windowDeadline: termWindowDeadline(term, settings),
    asOf: cohortDay(term, today),
    maxMonthsBetweenReviews: settings.maxMonthsBetweenReviews,
    attendanceLine: settings.attendanceTargetBelowPercent,
  }
}

/** The cohort's day of a term: its last day, or today while it runs. */
export function cohortDay(term: Term, today: CalendarDate): CalendarDate {
  const end = termEnd(term)
  return end < today ? end : today
}

/**
 * A term's cohort read for one authority; with a filter, only the children matching it (the one
 * rule of src/shared/cohort-filter.ts, in SQL): the list behind a figure.
 */
export async function readTermCohort(
  db: Queryable,
  authorityId: string,
  term: Term,
  today: CalendarDate,
  filter?: CohortFilter,
  /** A list's order and page (the rows are then the page's, `total` the list's). */
  listing?: CohortListing,
): Promise<TermCohort> {
  const asOf = cohortDay(term, today)
  const settings = await loadAuthoritySettings(db, authorityId)
  const frame: FilterFrame = { term, today, asOf, rules: authorityRules(term, settings) }
  const [closures, { rows, total }, education, circumstances] = await Promise.all([
    closureDaySet(db, authorityId),
    readCohort(db, authorityId, term, asOf, filter && childMatches(filter, frame), listing),
    readEducation(db, authorityId, term, asOf),
    readCircumstancesOn(db, authorityId, asOf),
  ])
  for (const row of rows) {
    row.education = education.get(row.childId)
    row.circumstances = circumstances.get(row.childId) ?? []
  }
  return {
    rows,
    total,
    frame: termFrame(term, today, settings),
    asOf,
    termStart: termStart(term),
    closures,
    settings,
  }
}

/**
 * What the list of a term's cohort offers to filter by: the schools, social workers and placement
 * types of its children, by name (a school or person without a name after those with one).
 */
export async function cohortChoices(
  db: Queryable,
  authorityId: string,
  asOf: CalendarDate,
): Promise<OfferedChoices> {
  const cohort = db
    .selectFrom('child as c')
    .where('c.authority_id', '=', authorityId)
    .where('c.entered_care_on', '<=', asOf)
    .where((eb) => eb.or([eb('c.ceased_on', 'is', null), eb('c.ceased_on', '>', asOf)]))
  const [schools, workers, placements] = await Promise.all([
    cohort
      .innerJoin('school as s', 's.id', 'c.school_id')
      .select(['s.id', 's.name'])
      .distinct()
      .execute(),
    cohort
      .innerJoin('app_user as o', 'o.id', 'c.record_owner_id')
      .select(['o.id', 'o.display_name as name'])
      .distinct()
      .execute(),
    cohort.select('c.placement').distinct().where('c.placement', 'is not', null).execute(),
  ])
  const byName = (a: [string, string], b: [string, string]) =>
    a[1].localeCompare(b[1]) || a[0].localeCompare(b[0])
  return {
    schools: schools.map((s): [string, string] => [s.id, s.name]).sort(byName),
    socialWorkers: workers.map((w): [string, string] => [w.id, w.name]).sort(byName),
    placements: placements
      .map((p) => p.placement!)
      .sort((a, b) => a.localeCompare(b) || (a < b ? -1 : 1)),
  }
}
