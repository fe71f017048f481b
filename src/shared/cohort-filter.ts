import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Queryable } from '../db/connection.ts'
import { ATTAINMENT_SCALES } from '../domain/attainment.ts'
import { readAuthoritySettings, type AuthoritySettings } from '../domain/authority-settings.ts'
import type { CalendarDate } from '../domain/calendar-date.ts'
import {
  PEP_STAGES,
  type CohortFilter,
  type OverdueKind,
  type PepStage,
  type Rating,
} from '../domain/oversight.ts'
import { previousTerm, termStart, type Term } from '../domain/terms.ts'
import { termWindowDeadline } from '../domain/timescales.ts'
import {
  YEAR_GROUPS,
  birthDateRangeFor,
  keyStageOf,
  type KeyStage,
  type YearGroup,
} from '../domain/year-group.ts'

/*
 * Which children match a list's filter, written once, in SQL (issue 17): the children list, the
 * Virtual School's list behind each dashboard figure and My work's PEP list all ask here, so a
 * filter means the same everywhere and no list loads a cohort to filter it in JavaScript. The
 * rules are those of src/domain/oversight.ts (pepStage, overdueKinds, pastReviewGap,
 * cohortPlace, educationFlags), which the dashboard counts with; the oversight tests hold a
 * figure and its list's rows to the same number.
 *
 * Each expression reads the child as `c` (a `child` row) and nothing else of the query, so it
 * fits any read of children. The PEP expressions read a PEP by the alias given, so a list of PEPs
 * can ask them of its own rows.
 */

/** The settings of an authority that a filter is measured against. */
export interface AuthorityRules {
  /** The term's window: the Virtual School's submission deadline. */
  windowDeadline: CalendarDate
  /** The longest gap between reviews, in months. */
  maxMonthsBetweenReviews: number
  /** The attendance line, a whole percentage. */
  attendanceLine: number
}

/** What a filter is measured against: a term, its days, and each authority's settings. */
export interface FilterFrame {
  term: Term
  /** The day the list is asked on (a date passed is missed from the day after). */
  today: CalendarDate
  /** The cohort's day: the term's last day, or today while it runs. */
  asOf: CalendarDate
  /** The settings of authorities not listed in byAuthority (the defaults). */
  rules: AuthorityRules
  byAuthority?: ReadonlyMap<string, AuthorityRules>
}

export function authorityRules(term: Term, settings: AuthoritySettings): AuthorityRules {
  return {
    windowDeadline: termWindowDeadline(term, settings),
    maxMonthsBetweenReviews: settings.maxMonthsBetweenReviews,
    attendanceLine: settings.attendanceTargetBelowPercent,
  }
}

/**
 * The frame of a term seen on `today`, with the settings of every authority that has changed one
 * the filters use (one read of a small table; the others keep the defaults).
 */
export async function loadFilterFrame(
  db: Queryable,
  term: Term,
  asOf: CalendarDate,
  today: CalendarDate,
): Promise<FilterFrame> {
  const rows = await db
    .selectFrom('authority_setting')
    .select(['authority_id', 'key', 'value'])
    .where('key', 'in', ['termWindows', 'maxMonthsBetweenReviews', 'attendanceTargetBelowPercent'])
    .execute()
  const byId = new Map<string, Record<string, unknown>>()
  for (const r of rows) {
    const values = byId.get(r.authority_id) ?? {}
    values[r.key] = r.value
    byId.set(r.authority_id, values)
  }
  const byAuthority = new Map<string, AuthorityRules>()
  for (const [id, values] of byId)
    byAuthority.set(id, authorityRules(term, readAuthoritySettings(values)))
  return {
    term,
    today,
    asOf,
    rules: authorityRules(term, readAuthoritySettings({})),
    byAuthority,
  }
}

/** One authority's setting, as SQL: a literal, or a choice by the child's authority. */
function perAuthority<T extends string | number>(
  frame: FilterFrame,
  pick: (rules: AuthorityRules) => T,
  literal: (value: T) => RawBuilder<unknown>,
): RawBuilder<unknown> {
  const fallback = pick(frame.rules)
  const differing = [...(frame.byAuthority ?? [])].filter(([, r]) => pick(r) !== fallback)
  if (differing.length === 0) return literal(fallback)
  return sql`(case c.authority_id ${sql.join(
    differing.map(([id, r]) => sql`when ${id}::uuid then ${literal(pick(r))}`),
    sql` `,
  )} else ${literal(fallback)} end)`
}

const date = (d: CalendarDate) => sql`${d}::date`
const int = (n: number) => sql`${n}::int`

/** The steps to and back from the Virtual School; the last one says if a PEP was returned. */
export const VS_STEPS = ['submitted-to-vs', 'returned-for-improvement', 'returned-by-bso']

/** The steps back from the Virtual School that return a PEP for improvement. */
export const RETURNING_STEPS = ['returned-for-improvement', 'returned-by-bso']

/** The PEP (by alias) was sent back for improvement: its last step to or from the Virtual School. */
function returned(p: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(select e.kind from pep_event e where e.pep_id = ${sql.ref(`${p}.id`)}
    and e.kind in (${sql.join(VS_STEPS)}) order by e.at desc limit 1)
    in (${sql.join(RETURNING_STEPS)})`
}

/** The school's part of the PEP (by alias) is with the school, due by a date (before `before`, if given). */
function withSchool(p: string, before?: CalendarDate): RawBuilder<SqlBool> {
  // A look-up by the PEP's key (at most one live delegation), never a scan of every delegation
  // hashed once: see termPep.
  return sql<SqlBool>`coalesce((select true from pep_delegation d
    where d.pep_id = ${sql.ref(`${p}.id`)} and d.status = 'delegated' and d.part_of is null
    ${before ? sql`and d.due_on < ${date(before)}` : sql``} limit 1), false)`
}

/**
 * What decides a PEP's stage and its own overdue kinds (pepStage, overdueKinds), as SQL: a list's
 * filter looks each up by the PEP's key (pepInStage, pepOverdue); the dashboard's count reads
 * them once a child and counts (src/features/oversight/figures.query.ts). One rule for both.
 */
export interface PepRuleFacts {
  status: RawBuilder<unknown>
  targetOn: RawBuilder<unknown>
  /** Its last step to or from the Virtual School returned it (null: no such step). */
  returned: RawBuilder<SqlBool>
  /** Its school's part is with the school, due before the day if one is given. */
  withSchool: (before?: CalendarDate) => RawBuilder<SqlBool>
}

function pepRuleFacts(p: string): PepRuleFacts {
  return {
    status: sql.ref(`${p}.status`),
    targetOn: sql.ref(`${p}.target_on`),
    returned: returned(p),
    withSchool: (before) => withSchool(p, before),
  }
}

/** The PEP stands at a stage (pepStage; "no PEP" is a child's, see childMatches). */
export function stageRule(
  stage: Exclude<PepStage, 'no_pep'>,
  pep: PepRuleFacts,
): RawBuilder<SqlBool> {
  const { status } = pep
  switch (stage) {
    case 'awaiting_bso_check':
    case 'awaiting_qa':
    case 'signed_off':
      return sql<SqlBool>`${status} = ${stage}`
    case 'returned':
      return sql<SqlBool>`(${status} = 'in_progress' and ${pep.returned})`
    case 'with_school':
      return sql<SqlBool>`(${status} = 'in_progress' and not coalesce(${pep.returned}, false) and ${pep.withSchool()})`
    case 'in_progress':
      return sql<SqlBool>`(${status} = 'in_progress' and not coalesce(${pep.returned}, false) and not ${pep.withSchool()})`
  }
}

/** The PEP is overdue in one of its own ways on `today` (overdueKinds; the window: see pastWindow). */
export function overdueRule(
  kind: Exclude<OverdueKind, 'past_window'>,
  pep: PepRuleFacts,
  today: CalendarDate,
): RawBuilder<SqlBool> {
  const notSignedOff = sql`${pep.status} <> 'signed_off'`
  if (kind === 'past_target')
    return sql<SqlBool>`(${notSignedOff} and ${pep.targetOn} < ${date(today)})`
  return sql<SqlBool>`(${notSignedOff} and ${pep.withSchool(today)})`
}

/** The PEP (by alias) stands at a stage (not "no PEP": that is a child's, see childMatches). */
export function pepInStage(p: string, stage: Exclude<PepStage, 'no_pep'>): RawBuilder<SqlBool> {
  return stageRule(stage, pepRuleFacts(p))
}

/**
 * The stage of the PEP (by alias, null for none) as its place in PEP_STAGES (pepStage): what a
 * list sorts by.
 */
export function pepStageOrder(p: string): RawBuilder<number> {
  return sql<number>`(case when ${sql.ref(`${p}.id`)} is null then 0 ${sql.join(
    PEP_STAGES.filter((s) => s !== 'no_pep').map(
      (s) => sql`when ${pepInStage(p, s)} then ${PEP_STAGES.indexOf(s)}::int`,
    ),
    sql` `,
  )} end)`
}

/**
 * The PEP (by alias) is signed off with this overall rating (Section D's, as saved: kept on the
 * PEP's row from its quality assurance page, migration t17dash01).
 */
export function pepRated(p: string, rating: Rating): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${p}.status`)} = 'signed_off'
    and ${sql.ref(`${p}.qa_overall`)} = ${rating})`
}

/** The PEP (by alias) was signed off (in England's days) on or before the term's window. */
export function signedOffByWindow(p: string, frame: FilterFrame): RawBuilder<SqlBool> {
  const deadline = perAuthority(frame, (r) => r.windowDeadline, date)
  return sql<SqlBool>`(${sql.ref(`${p}.signed_off_at`)} is not null
    and (${sql.ref(`${p}.signed_off_at`)} at time zone 'Europe/London')::date <= ${deadline})`
}

/** The term's window has closed on the frame's day, and `signedOffByIt` does not hold. */
export function pastWindow(
  frame: FilterFrame,
  signedOffByIt: RawBuilder<SqlBool>,
): RawBuilder<SqlBool> {
  const deadline = perAuthority(frame, (r) => r.windowDeadline, date)
  return sql<SqlBool>`(${deadline} < ${date(frame.today)} and not ${signedOffByIt})`
}

/** The PEP (by alias) is overdue in this way on the frame's day (the window: see childMatches). */
export function pepOverdue(
  p: string,
  kind: Exclude<OverdueKind, 'past_window'>,
  frame: Pick<FilterFrame, 'today'>,
): RawBuilder<SqlBool> {
  return overdueRule(kind, pepRuleFacts(p), frame.today)
}

/**
 * The child's PEP of the frame's term (the one PEP a term) holds `condition` (on `tp`): false
 * with no PEP, or where the condition is unknown. Written as the one PEP's look-up by its key
 * (pep_one_per_term_key) rather than `exists`, which PostgreSQL may plan as a scan of the term's
 * PEPs of every authority hashed once (EXPLAIN ANALYZE: the overdue list's three kinds read the
 * whole term's PEPs and their delegations), work that grows with the country, not the cohort.
 */
function termPep(frame: FilterFrame, condition: RawBuilder<SqlBool>): RawBuilder<SqlBool> {
  return sql<SqlBool>`coalesce((select ${condition} from pep tp where tp.child_id = c.id
    and tp.academic_year = ${frame.term.academicYear} and tp.term = ${frame.term.name}
    and not tp.change_of_school limit 1), false)`
}

function overdue(kind: OverdueKind, frame: FilterFrame): RawBuilder<SqlBool> {
  if (kind === 'past_window') {
    // The window has closed with no PEP signed off by it (no PEP at all is overdue too).
    return pastWindow(frame, termPep(frame, signedOffByWindow('tp', frame)))
  }
  return termPep(frame, pepOverdue('tp', kind, frame))
}

/**
 * The last review held by a day: the latest meeting date on or before it of any of the child's
 * PEPs (the longest gap between reviews counts from it). `child` names the child's id column.
 */
export function lastReviewOn(child: string, asOf: CalendarDate): RawBuilder<CalendarDate | null> {
  return sql<CalendarDate | null>`(select max(m.meeting_on) from pep m
    where m.child_id = ${sql.ref(child)} and m.meeting_on <= ${date(asOf)})`
}

/** Past the longest gap between reviews on the cohort's day (the day due by itself is in time). */
export function pastReviewGap(frame: FilterFrame): RawBuilder<SqlBool> {
  const months = perAuthority(frame, (r) => r.maxMonthsBetweenReviews, int)
  return sql<SqlBool>`((coalesce(${lastReviewOn('c.id', frame.asOf)}, c.entered_care_on)
    + make_interval(months => ${months}))::date < ${date(frame.asOf)})`
}

/**
 * pastReviewGap, told of a review the child held (`heldOn`, a meeting date of one of their PEPs,
 * null for none known): when it is on or before the cohort's day and the gap from it has not
 * passed, the last review (on or after it) has not either, so the child is not past the gap and
 * their PEPs are not looked up; otherwise pastReviewGap. The same answer, read for fewer children:
 * the dashboard knows the term PEP's meeting, held this term for most of the cohort.
 */
export function pastReviewGapAfter(
  frame: FilterFrame,
  heldOn: RawBuilder<unknown>,
): RawBuilder<SqlBool> {
  const months = perAuthority(frame, (r) => r.maxMonthsBetweenReviews, int)
  return sql<SqlBool>`(case when ${heldOn} <= ${date(frame.asOf)}
      and (${heldOn} + make_interval(months => ${months}))::date >= ${date(frame.asOf)}
    then false else ${pastReviewGap(frame)} end)`
}

type Place = YearGroup | 'under_2' | 'beyond_13'

/**
 * In a year group on a day (cohortPlace): a year group override wins; without one, the dates of
 * birth of the year group, younger than nursery ("Under 2") or older than Year 13.
 */
function inYearGroup(place: Place, on: CalendarDate): RawBuilder<SqlBool> {
  const noOverride = sql`(c.year_group_override is null or c.year_group_override not in (${sql.join(
    [...YEAR_GROUPS],
  )}))`
  if (place === 'under_2')
    return sql<SqlBool>`(${noOverride} and c.date_of_birth > ${date(birthDateRangeFor('N', on).to)})`
  if (place === 'beyond_13')
    return sql<SqlBool>`(${noOverride} and c.date_of_birth < ${date(birthDateRangeFor('Y13', on).from)})`
  const range = birthDateRangeFor(place, on)
  return sql<SqlBool>`(c.year_group_override = ${place} or (${noOverride}
    and c.date_of_birth between ${date(range.from)} and ${date(range.to)}))`
}

/**
 * The child's year group on a day as a number to sort by (cohortPlace): younger than nursery
 * first, then each year group in order, older than Year 13 last.
 */
export function yearGroupOrder(on: CalendarDate): RawBuilder<number> {
  return sql<number>`(case ${sql.join(
    YEAR_GROUPS.map((y, i) => sql`when ${inYearGroup(y, on)} then ${i}::int`),
    sql` `,
  )} when ${inYearGroup('under_2', on)} then -1 else ${YEAR_GROUPS.length}::int end)`
}

function inKeyStage(keyStage: KeyStage, on: CalendarDate): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.join(
    YEAR_GROUPS.filter((y) => keyStageOf(y) === keyStage).map((y) => inYearGroup(y, on)),
    sql` or `,
  )})`
}

/** The term's attendance of the child, summed over their current periods overlapping it. */
function attendance(frame: FilterFrame, test: RawBuilder<SqlBool>): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from attendance_period a where a.child_id = c.id
    and a.superseded_at is null and a.starts_on <= ${date(frame.asOf)}
    and a.ends_on >= ${date(termStart(frame.term))}
    having sum(a.sessions_possible) > 0 and ${test})`
}

/**
 * Persistent absence (attendanceFigures): a tenth or more of the sessions possible missed, given
 * more than none possible. The figures' flag and the annual report's count.
 */
export function persistentAbsence(
  possible: RawBuilder<unknown>,
  attended: RawBuilder<unknown>,
): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${possible} - ${attended}) * 10 >= ${possible}`
}

/**
 * The attendance flags (attendanceFigures, belowThreshold) of sessions possible and attended over
 * the term, given more than none possible.
 */
export function attendanceRule(
  flag: 'persistent_absence' | 'severe_absence' | 'below_line',
  possible: RawBuilder<unknown>,
  attended: RawBuilder<unknown>,
  frame: FilterFrame,
): RawBuilder<SqlBool> {
  switch (flag) {
    case 'persistent_absence':
      return persistentAbsence(possible, attended)
    case 'severe_absence':
      return sql<SqlBool>`(${possible} - ${attended}) * 2 >= ${possible}`
    case 'below_line': {
      const line = perAuthority(frame, (r) => r.attendanceLine, int)
      return sql<SqlBool>`${attended} * 100 < ${line} * ${possible}`
    }
  }
}

/** An exclusion (by alias) in the term up to the frame's day (a day's overlap counts). */
export function exclusionInTerm(x: string, frame: FilterFrame): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${x}.starts_on`)} <= ${date(frame.asOf)}
    and coalesce(${sql.ref(`${x}.ends_on`)}, ${sql.ref(`${x}.starts_on`)}) >= ${date(termStart(frame.term))})`
}

/** An education circumstance (by alias) on the cohort's day: its first and last days count. */
export function circumstanceOn(ec: string, frame: Pick<FilterFrame, 'asOf'>): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${ec}.starts_on`)} <= ${date(frame.asOf)}
    and (${sql.ref(`${ec}.ends_on`)} is null or ${sql.ref(`${ec}.ends_on`)} >= ${date(frame.asOf)}))`
}

/**
 * Each attainment level's place on its scale, as rows for SQL (from the domain's scales), written
 * as constants rather than parameters: they never change, and a statement with them can be
 * prepared (db/prepared.ts takes no '*' in its values).
 */
const LEVEL_RANKS = Object.entries(ATTAINMENT_SCALES).flatMap(([scale, levels]) =>
  (levels as readonly (readonly [string, string])[]).map(([level], i) => ({ scale, level, i })),
)
const levelRanks = () =>
  sql`(values ${sql.join(LEVEL_RANKS.map((r) => sql`(${sql.lit(r.scale)}, ${sql.lit(r.level)}, ${sql.lit(r.i)})`))}) as`

function educationFlag(flag: NonNullable<CohortFilter['flag']>, frame: FilterFrame) {
  switch (flag) {
    case 'persistent_absence':
    case 'severe_absence':
    case 'below_line':
      return attendance(
        frame,
        attendanceRule(flag, sql`sum(a.sessions_possible)`, sql`sum(a.sessions_attended)`, frame),
      )
    case 'excluded':
      return sql<SqlBool>`exists (select 1 from exclusion x where x.child_id = c.id
        and ${exclusionInTerm('x', frame)})`
    case 'not_making_progress':
      return sql<SqlBool>`exists (${subjectsBehindTwoTerms(frame.term, sql<SqlBool>`e.child_id = c.id`)})`
  }
}

/**
 * "Not making expected progress", written once in SQL (issue 19): the rule of
 * subjectsNotMakingProgress in src/domain/attainment.ts, as of `term`. With T0 the term, T1 the
 * one before and T2 the one before that, a subject is flagged when it is behind in T0 and T1, or
 * when T0 has no entry yet and it is behind in T1 and T2 (its two latest terms up to T0, one
 * straight after the other, the later T0 or T1). A row per child (`child_id`) and subject
 * (`subject`, lower case; `name`, as recorded in its latest term); each entry on its own scale.
 * `ofChildren` says which children, over the entry `e`. The lists' flag, the dashboard's count
 * and the child's record all read it.
 */
export function subjectsBehindTwoTerms(
  term: Term,
  ofChildren: RawBuilder<SqlBool>,
): RawBuilder<{ child_id: string; subject: string; name: string }> {
  const [t0, t1] = [term, previousTerm(term)]
  const t2 = previousTerm(t1)
  const isTerm = (t: Term) => sql`(e.academic_year = ${t.academicYear} and e.term = ${t.name})`
  const behind = sql`coalesce(w.i < x.i, false)`
  const has = (t: Term, what: RawBuilder<unknown> = sql`true`) =>
    sql`coalesce(bool_or(${isTerm(t)} and ${what}), false)`
  return sql`select e.child_id, lower(e.subject) as subject,
      coalesce(max(case when ${isTerm(t0)} then e.subject end),
        max(case when ${isTerm(t1)} then e.subject end)) as name
    from attainment_entry e
    left join ${levelRanks()} w(scale, level, i) on w.scale = e.scale and w.level = e.working_at
    left join ${levelRanks()} x(scale, level, i) on x.scale = e.scale and x.level = e.expected
    where ${ofChildren} and e.superseded_at is null
      and (${isTerm(t0)} or ${isTerm(t1)} or ${isTerm(t2)})
    group by e.child_id, lower(e.subject)
    having (${has(t0, behind)} and ${has(t1, behind)})
      or (not ${has(t0)} and ${has(t1, behind)} and ${has(t2, behind)})`
}

/** In the cohort of the frame: in care on its day (entered on or before it, not ceased by it). */
export function inCohort(frame: Pick<FilterFrame, 'asOf'>): RawBuilder<SqlBool> {
  return sql<SqlBool>`(c.entered_care_on <= ${date(frame.asOf)}
    and (c.ceased_on is null or c.ceased_on > ${date(frame.asOf)}))`
}

/** The filters that ask about the term's PEP or the term's education, which only the cohort has. */
export function asksOfTerm(filter: CohortFilter): boolean {
  return Boolean(
    filter.stage ||
    filter.overdue ||
    filter.rating ||
    filter.review ||
    filter.flag ||
    filter.circumstance,
  )
}

/**
 * The one rule of which children match a filter (every part must hold), as SQL over `c`. The
 * year group and key stage are those of the cohort's day.
 */
export function childMatches(filter: CohortFilter, frame: FilterFrame): RawBuilder<SqlBool> {
  const parts: RawBuilder<SqlBool>[] = []
  if (filter.stage)
    parts.push(
      filter.stage === 'no_pep'
        ? sql<SqlBool>`not ${termPep(frame, sql<SqlBool>`true`)}`
        : termPep(frame, pepInStage('tp', filter.stage)),
    )
  if (filter.overdue === 'any')
    // The two kinds of the PEP itself in one look-up of it.
    parts.push(
      sql<SqlBool>`(${termPep(
        frame,
        sql<SqlBool>`(${pepOverdue('tp', 'past_target', frame)}
          or ${pepOverdue('tp', 'school_overdue', frame)})`,
      )} or ${overdue('past_window', frame)})`,
    )
  else if (filter.overdue) parts.push(overdue(filter.overdue, frame))
  if (filter.schoolId) parts.push(sql<SqlBool>`c.school_id = ${filter.schoolId}::uuid`)
  if (filter.socialWorkerId)
    parts.push(sql<SqlBool>`c.record_owner_id = ${filter.socialWorkerId}::uuid`)
  if (filter.sen === 'any') parts.push(sql<SqlBool>`c.sen_status <> 'none'`)
  else if (filter.sen) parts.push(sql<SqlBool>`c.sen_status = ${filter.sen}`)
  if (filter.area) {
    const inArea = sql`exists (select 1 from school fa where fa.id = c.school_id
      and fa.authority_id = c.authority_id)`
    parts.push(
      filter.area === 'none'
        ? sql<SqlBool>`c.school_id is null`
        : filter.area === 'in'
          ? sql<SqlBool>`${inArea}`
          : sql<SqlBool>`(c.school_id is not null and not ${inArea})`,
    )
  }
  if (filter.rating) parts.push(termPep(frame, pepRated('tp', filter.rating)))
  if (filter.review === 'past_gap') parts.push(pastReviewGap(frame))
  if (filter.flag) parts.push(educationFlag(filter.flag, frame))
  if (filter.circumstance)
    parts.push(sql<SqlBool>`exists (select 1 from child_education_circumstance ec
      where ec.child_id = c.id and ec.kind = ${filter.circumstance}
      and ${circumstanceOn('ec', frame)})`)
  if (filter.placement === '') parts.push(sql<SqlBool>`coalesce(c.placement, '') = ''`)
  else if (filter.placement) parts.push(sql<SqlBool>`c.placement = ${filter.placement}`)
  if (filter.yearGroup) parts.push(inYearGroup(filter.yearGroup, frame.asOf))
  if (filter.keyStage) parts.push(inKeyStage(filter.keyStage, frame.asOf))
  if (asksOfTerm(filter)) parts.push(inCohort(frame))
  if (parts.length === 0) return sql<SqlBool>`true`
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`
}
