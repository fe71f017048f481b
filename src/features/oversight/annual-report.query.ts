import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { persistentAbsence } from '../../shared/cohort-filter.ts'

/*
 * The annual report's aggregates (ADR 7, ADR 11): the cohort's movement over an academic year,
 * and the attendance, exclusions and Pupil Premium Plus of issues 18 and 19, each summed in SQL
 * for one authority between two days. The termly PEP figures are the dashboard's, counted in SQL
 * term by term (readTermFigures, figures.query.ts).
 */

export interface Movement {
  /** In care on the year's first day. */
  atStart: number
  /** Entered care after the first day, up to the last (or today). */
  entered: number
  /** Ceased to be in care after the first day, up to the last (or today). */
  left: number
  /** In care on the last day (or today): atStart + entered - left. */
  atEnd: number
  /** In care on any day of the year. */
  anyTime: number
}

/**
 * A child is in care on day d when they entered on or before it and had not ceased by it (the
 * cohort's rule), so the four counts add up: atEnd = atStart + entered - left.
 */
export async function cohortMovement(
  db: Queryable,
  authorityId: string,
  start: CalendarDate,
  end: CalendarDate,
): Promise<Movement> {
  const inCareOn = (day: CalendarDate) =>
    sql<boolean>`entered_care_on <= ${day} and (ceased_on is null or ceased_on > ${day})`
  const row = await db
    .selectFrom('child')
    .select([
      sql<number>`count(*) filter (where ${inCareOn(start)})`.as('atStart'),
      sql<number>`count(*) filter (where entered_care_on > ${start} and entered_care_on <= ${end})`.as(
        'entered',
      ),
      sql<number>`count(*) filter (where ceased_on > ${start} and ceased_on <= ${end})`.as('left'),
      sql<number>`count(*) filter (where ${inCareOn(end)})`.as('atEnd'),
      sql<number>`count(*) filter (where entered_care_on <= ${end} and (ceased_on is null or ceased_on > ${start}))`.as(
        'anyTime',
      ),
    ])
    .where('authority_id', '=', authorityId)
    .executeTakeFirstOrThrow()
  return {
    atStart: Number(row.atStart),
    entered: Number(row.entered),
    left: Number(row.left),
    atEnd: Number(row.atEnd),
    anyTime: Number(row.anyTime),
  }
}

export interface AttendanceCounts {
  /** Children with attendance recorded in the year. */
  children: number
  /** Of them, those who missed a tenth or more of their sessions (persistent absence). */
  persistent: number
}

/**
 * The children with attendance over the year's periods (the current figures, not superseded
 * ones), and those persistently absent over their sessions summed, counted in SQL (the rule of
 * attendanceFigures: persistentAbsence in src/shared/cohort-filter.ts).
 */
export async function attendanceCounts(
  db: Queryable,
  authorityId: string,
  start: CalendarDate,
  end: CalendarDate,
): Promise<AttendanceCounts> {
  const { rows } = await sql<AttendanceCounts>`select count(*)::int as children,
      (count(*) filter (where t.possible > 0
        and ${persistentAbsence(sql`t.possible`, sql`t.attended`)}))::int as persistent
    from (select sum(ap.sessions_possible) as possible, sum(ap.sessions_attended) as attended
      from attendance_period ap join child c on c.id = ap.child_id
      where c.authority_id = ${authorityId}::uuid and ap.superseded_at is null
        and ap.starts_on >= ${start}::date and ap.starts_on <= ${end}::date
      group by ap.child_id) t`.execute(db)
  const row = rows[0]!
  return { children: Number(row.children), persistent: Number(row.persistent) }
}

export interface ExclusionCounts {
  suspensions: number
  permanent: number
  children: number
}

export async function exclusionCounts(
  db: Queryable,
  authorityId: string,
  start: CalendarDate,
  end: CalendarDate,
): Promise<ExclusionCounts> {
  const row = await db
    .selectFrom('exclusion as e')
    .innerJoin('child as c', 'c.id', 'e.child_id')
    .select([
      sql<number>`count(*) filter (where e.kind = 'suspension')`.as('suspensions'),
      sql<number>`count(*) filter (where e.kind = 'permanent')`.as('permanent'),
      sql<number>`count(distinct e.child_id)`.as('children'),
    ])
    .where('c.authority_id', '=', authorityId)
    .where('e.starts_on', '>=', start)
    .where('e.starts_on', '<=', end)
    .executeTakeFirstOrThrow()
  return {
    suspensions: Number(row.suspensions),
    permanent: Number(row.permanent),
    children: Number(row.children),
  }
}

/**
 * Pupil Premium Plus paid (payments and corrections) in the year, in whole pence, and to how many
 * children: only the lines of runs marked paid, on the day the finance team paid them. A line
 * waiting for a run, or in a run still open or discarded, has not been paid.
 */
export async function ppPlusPaid(
  db: Queryable,
  authorityId: string,
  start: CalendarDate,
  end: CalendarDate,
): Promise<{ pence: number; children: number }> {
  const row = await db
    .selectFrom('payment_line as l')
    .innerJoin('payment_run as run', 'run.id', 'l.run_id')
    .innerJoin('funding_request as r', 'r.id', 'l.request_id')
    .select([
      sql<number>`coalesce(sum(l.amount_pence), 0)`.as('pence'),
      sql<number>`count(distinct r.child_id)`.as('children'),
    ])
    .where('l.authority_id', '=', authorityId)
    .where('run.status', '=', 'paid')
    .where('run.paid_on', '>=', start)
    .where('run.paid_on', '<=', end)
    .executeTakeFirstOrThrow()
  return { pence: Number(row.pence), children: Number(row.children) }
}
