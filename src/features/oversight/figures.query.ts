import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { AuthoritySettings } from '../../domain/authority-settings.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { CIRCUMSTANCE_KINDS, type CircumstanceKind } from '../../domain/education-circumstance.ts'
import {
  PEP_STAGES,
  RATINGS,
  type CohortPlace,
  type PepStage,
  type TermFigures,
  type TermFrame,
} from '../../domain/oversight.ts'
import { termStart, type Term } from '../../domain/terms.ts'
import { YEAR_GROUPS, keyStageOf, type KeyStage } from '../../domain/year-group.ts'
import { closureDaySet, loadAuthoritySettings } from '../../shared/settings.ts'
import {
  RETURNING_STEPS,
  VS_STEPS,
  attendanceRule,
  authorityRules,
  circumstanceOn,
  exclusionInTerm,
  inCohort,
  overdueRule,
  pastReviewGapAfter,
  pastWindow,
  signedOffByWindow,
  stageRule,
  subjectsBehindTwoTerms,
  yearGroupOrder,
  type FilterFrame,
  type PepRuleFacts,
} from '../../shared/cohort-filter.ts'
import { cohortDay, readCohort, termFrame, type CohortRow } from './cohort.query.ts'

/*
 * The dashboard's figures of a term (issue 17), counted in SQL from the data in one statement:
 * each child of the cohort is read once with the facts its figures need (`k`), and every figure
 * is a count over those rows by the rules the lists filter with (src/shared/cohort-filter.ts),
 * so a figure and the list behind it agree. termFigures (src/domain/oversight.ts) counts the
 * same figures from the cohort's rows in JavaScript; figures.test.ts holds the two equal at the
 * term's edges. Nothing is read that no figure needs: no Section D answers (its overall rating
 * and the participation are on the PEP's row, counted only of signed-off PEPs), a PEP's steps only
 * while it is in progress, its delegation only until it is signed off, the child's other PEPs'
 * meetings only where the term PEP's own meeting does not settle the gap between reviews.
 */

/** The dashboard's read of a term for one authority. */
export interface TermDashboard {
  figures: TermFigures
  /** The schools of the cohort's children, with their names and whether in the area. */
  schools: { id: string; name: string; inArea: boolean }[]
  /** The children of the cohort who entered care in the term (their initial PEPs), by name. */
  entered: CohortRow[]
  frame: TermFrame
  asOf: CalendarDate
  termStart: CalendarDate
  closures: ReadonlySet<CalendarDate>
  settings: AuthoritySettings
}

interface FigureRow {
  cohort: number
  stages: Record<PepStage, number>
  signed_off_by_window: number
  past_target: number
  past_window: number
  school_overdue: number
  any_overdue: number
  ratings: Record<string, number>
  rated: number
  participated: number
  participation_answered: number
  past_review_gap: number
  sen_support: number
  ehc_plan: number
  in_area: number
  out_of_area: number
  no_school: number
  by_year: Record<string, number> | null
  by_key_stage: Record<string, number> | null
  schools: { id: string; name: string; inArea: boolean; n: number }[] | null
  by_placement: Record<string, number> | null
  attendance: { persistent: number; severe: number; below: number }
  excluded: number
  not_making_progress: number
  circumstances: Record<string, number> | null
}

const count = (condition: RawBuilder<SqlBool>) =>
  sql<number>`(count(*) filter (where ${condition}))::int`

/** The figures of a term's cohort for one authority, counted in the database. */
export async function readTermFigures(
  db: Queryable,
  authorityId: string,
  term: Term,
  today: CalendarDate,
): Promise<TermDashboard> {
  const asOf = cohortDay(term, today)
  const start = termStart(term)
  const settings = await loadAuthoritySettings(db, authorityId)
  const frame: FilterFrame = { term, today, asOf, rules: authorityRules(term, settings) }

  // One row a child of the cohort with the facts of the term's PEP (the one PEP a term: the
  // authority's PEPs of the term, which are its children's, read as one range of
  // pep_authority_term_idx and joined by hash, not 3,000 look-ups by child), each other fact
  // looked up only where a figure asks for it.
  const children = sql`select c.id, c.school_id, c.sen_status,
      coalesce(c.placement, '') as placement,
      ${yearGroupOrder(asOf)} as year_index,
      ${pastReviewGapAfter(frame, sql.ref('p.meeting_on'))} as past_gap,
      p.id as pep_id, p.status, p.target_on, p.signed_off_at,
      case when p.status <> 'signed_off' then (select d.due_on from pep_delegation d
        where d.pep_id = p.id and d.status = 'delegated' and d.part_of is null limit 1)
      end as school_due_on,
      case when p.status = 'in_progress' then (select e.kind from pep_event e
        where e.pep_id = p.id and e.kind in (${sql.join(VS_STEPS)}) order by e.at desc limit 1)
        in (${sql.join(RETURNING_STEPS)})
      end as returned,
      p.qa_overall as overall, p.qa_participated as participated
    from child c
    left join pep p on p.child_id = c.id and p.authority_id = ${authorityId}::uuid
      and p.academic_year = ${term.academicYear} and p.term = ${term.name}
      and not p.change_of_school
    where c.authority_id = ${authorityId}::uuid and ${inCohort(frame)}`

  const pep: PepRuleFacts = {
    status: sql.ref('k.status'),
    targetOn: sql.ref('k.target_on'),
    returned: sql<SqlBool>`k.returned`,
    withSchool: (before) =>
      before
        ? sql<SqlBool>`coalesce(k.school_due_on < ${before}::date, false)`
        : sql<SqlBool>`(k.school_due_on is not null)`,
  }
  const pastTarget = overdueRule('past_target', pep, today)
  const schoolOverdue = overdueRule('school_overdue', pep, today)
  const lateForWindow = pastWindow(frame, signedOffByWindow('k', frame))
  const signedOff = sql<SqlBool>`k.status = 'signed_off'`
  const keyStages = sql`${sql.val(YEAR_GROUPS.map(keyStageOf))}::text[]`
  const json = (select: RawBuilder<unknown>, agg: RawBuilder<unknown>) =>
    sql`(select ${agg} from (${select}) t)`

  // The cohort's schools, each once, with its name and whether it is the authority's own: each
  // school looked up by its key (a join was planned as a hash of every school in the country,
  // 21,000 at national size, for the cohort's 140).
  const bySchool = sql`select g.school_id, s.name, coalesce(s.authority_id = ${authorityId}::uuid, false)
      as in_area, g.n
    from (select k.school_id, count(*)::int as n from k where k.school_id is not null
      group by k.school_id) g
    left join lateral (select s.name, s.authority_id from school s where s.id = g.school_id
      limit 1) s on true`

  // The figures, the closure days and the term's entrants are independent reads: asked for at
  // once (the pool's connections), so the page waits for the longest of them, not their sum.
  const counting = sql<FigureRow>`with k as materialized (${children}),
      sch as materialized (${bySchool})
    select count(*)::int as cohort,
      json_build_object(${sql.join(
        PEP_STAGES.map(
          (stage) =>
            sql`${stage}::text, ${count(
              stage === 'no_pep' ? sql<SqlBool>`k.pep_id is null` : stageRule(stage, pep),
            )}`,
        ),
      )}) as stages,
      ${count(signedOffByWindow('k', frame))} as signed_off_by_window,
      ${count(pastTarget)} as past_target,
      ${count(lateForWindow)} as past_window,
      ${count(schoolOverdue)} as school_overdue,
      ${count(sql<SqlBool>`(${pastTarget} or ${lateForWindow} or ${schoolOverdue})`)} as any_overdue,
      json_build_object(${sql.join(
        RATINGS.map(
          (r) => sql`${r}::text, ${count(sql<SqlBool>`${signedOff} and k.overall = ${r}`)}`,
        ),
      )}) as ratings,
      ${count(sql<SqlBool>`${signedOff} and k.overall in (${sql.join([...RATINGS])})`)} as rated,
      ${count(sql<SqlBool>`${signedOff} and k.participated = 'yes'`)} as participated,
      ${count(sql<SqlBool>`${signedOff} and k.participated in ('yes', 'no')`)} as participation_answered,
      ${count(sql<SqlBool>`k.past_gap`)} as past_review_gap,
      ${count(sql<SqlBool>`k.sen_status = 'sen_support'`)} as sen_support,
      ${count(sql<SqlBool>`k.sen_status = 'ehc_plan'`)} as ehc_plan,
      (select coalesce(sum(sch.n) filter (where sch.in_area), 0)::int from sch) as in_area,
      (select coalesce(sum(sch.n) filter (where not sch.in_area), 0)::int from sch) as out_of_area,
      ${count(sql<SqlBool>`k.school_id is null`)} as no_school,
      ${json(
        sql`select k.year_index, count(*)::int as n from k group by k.year_index`,
        sql`json_object_agg(t.year_index, t.n)`,
      )} as by_year,
      ${json(
        sql`select (${keyStages})[k.year_index + 1] as key_stage, count(*)::int as n from k
          where (${keyStages})[k.year_index + 1] is not null group by 1`,
        sql`json_object_agg(t.key_stage, t.n)`,
      )} as by_key_stage,
      (select json_agg(json_build_object('id', sch.school_id, 'name', sch.name,
        'inArea', sch.in_area, 'n', sch.n)) from sch) as schools,
      ${json(
        sql`select k.placement, count(*)::int as n from k group by k.placement`,
        sql`json_object_agg(t.placement, t.n)`,
      )} as by_placement,
      ${json(
        sql`select sum(a.sessions_possible) as possible, sum(a.sessions_attended) as attended
          from attendance_period a join k on k.id = a.child_id
          where a.superseded_at is null and a.starts_on <= ${asOf}::date
            and a.ends_on >= ${start}::date
          group by a.child_id having sum(a.sessions_possible) > 0`,
        sql`json_build_object(
          'persistent', count(*) filter (where ${attendanceRule('persistent_absence', sql`t.possible`, sql`t.attended`, frame)}),
          'severe', count(*) filter (where ${attendanceRule('severe_absence', sql`t.possible`, sql`t.attended`, frame)}),
          'below', count(*) filter (where ${attendanceRule('below_line', sql`t.possible`, sql`t.attended`, frame)}))`,
      )} as attendance,
      (select count(distinct x.child_id)::int from exclusion x join k on k.id = x.child_id
        where ${exclusionInTerm('x', frame)}) as excluded,
      (select count(distinct t.child_id)::int from (${subjectsBehindTwoTerms(
        term,
        sql<SqlBool>`e.child_id in (select k.id from k)`,
      )}) t) as not_making_progress,
      ${json(
        sql`select ec.kind, count(distinct ec.child_id)::int as n
          from child_education_circumstance ec join k on k.id = ec.child_id
          where ${circumstanceOn('ec', frame)} group by ec.kind`,
        sql`json_object_agg(t.kind, t.n)`,
      )} as circumstances
    from k`.execute(db)
  const [result, closures, entered] = await Promise.all([
    counting,
    closureDaySet(db, authorityId),
    readCohort(db, authorityId, term, asOf, sql<SqlBool>`c.entered_care_on >= ${start}::date`, {
      sort: 'name',
      direction: 'ascending',
    }),
  ])
  const r = result.rows[0]!

  const place = (index: string): CohortPlace['yearGroup'] => {
    const i = Number(index)
    return i < 0 ? 'under_2' : i >= YEAR_GROUPS.length ? 'beyond_13' : YEAR_GROUPS[i]!
  }
  const schools = (r.schools ?? []).map((s) => ({ ...s, n: Number(s.n) }))
  const figures: TermFigures = {
    cohort: Number(r.cohort),
    byStage: Object.fromEntries(PEP_STAGES.map((s) => [s, Number(r.stages[s])])) as Record<
      PepStage,
      number
    >,
    signedOffByWindow: Number(r.signed_off_by_window),
    overdue: {
      past_target: Number(r.past_target),
      past_window: Number(r.past_window),
      school_overdue: Number(r.school_overdue),
    },
    anyOverdue: Number(r.any_overdue),
    ratings: Object.fromEntries(
      RATINGS.map((x) => [x, Number(r.ratings[x])]),
    ) as TermFigures['ratings'],
    rated: Number(r.rated),
    participated: Number(r.participated),
    participationAnswered: Number(r.participation_answered),
    byYearGroup: Object.fromEntries(
      Object.entries(r.by_year ?? {}).map(([i, n]) => [place(i), Number(n)]),
    ),
    byKeyStage: Object.fromEntries(
      Object.entries(r.by_key_stage ?? {}).map(([k, n]) => [k as KeyStage, Number(n)]),
    ),
    bySchool: Object.fromEntries(schools.map((s) => [s.id, s.n])),
    sen: { sen_support: Number(r.sen_support), ehc_plan: Number(r.ehc_plan) },
    inArea: Number(r.in_area),
    outOfArea: Number(r.out_of_area),
    noSchool: Number(r.no_school),
    byPlacement: Object.fromEntries(
      Object.entries(r.by_placement ?? {}).map(([p, n]) => [p, Number(n)]),
    ),
    pastReviewGap: Number(r.past_review_gap),
    education: {
      persistent_absence: Number(r.attendance.persistent),
      severe_absence: Number(r.attendance.severe),
      below_line: Number(r.attendance.below),
      excluded: Number(r.excluded),
      not_making_progress: Number(r.not_making_progress),
    },
    circumstances: Object.fromEntries(
      CIRCUMSTANCE_KINDS.map((kind) => [kind, Number(r.circumstances?.[kind] ?? 0)]),
    ) as Record<CircumstanceKind, number>,
  }

  return {
    figures,
    schools: schools.map(({ id, name, inArea }) => ({ id, name, inArea })),
    entered: entered.rows,
    frame: termFrame(term, today, settings),
    asOf,
    termStart: start,
    closures,
    settings,
  }
}
