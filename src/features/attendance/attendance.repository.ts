import { anyOf, unnestRows } from '../../db/unnest.ts'
import type { Queryable } from '../../db/connection.ts'
import { executePrepared } from '../../db/prepared.ts'
import { sql } from 'kysely'
import type { AttendancePeriod } from '../../domain/attendance.ts'
import { isUuid } from '../../domain/ids.ts'

/*
 * The queries and writes of `attendance_period` (issue 19). No transactions, no audit, no rules:
 * the service decides those.
 */

export interface AttendanceRow extends AttendancePeriod {
  id: string
  childId: string
  schoolId: string | null
  schoolName: string | null
  source: 'record' | 'pep' | 'import'
  recordedAt: Date
  recordedBy: string | null
  supersededAt: Date | null
  supersededBy: string | null
}

function base(db: Queryable) {
  return db
    .selectFrom('attendance_period as a')
    .leftJoin('school as s', 's.id', 'a.school_id')
    .leftJoin('app_user as u', 'u.id', 'a.recorded_by')
    .select([
      'a.id',
      'a.child_id as childId',
      'a.school_id as schoolId',
      's.name as schoolName',
      'a.starts_on as startsOn',
      'a.ends_on as endsOn',
      'a.sessions_possible as possible',
      'a.sessions_attended as attended',
      'a.authorised_absence as authorised',
      'a.unauthorised_absence as unauthorised',
      'a.source',
      'a.recorded_at as recordedAt',
      'u.display_name as recordedBy',
      'a.superseded_at as supersededAt',
      'a.superseded_by as supersededBy',
    ])
}

/** Every version of every period of a child, newest period first, each period's versions newest first. */
export async function listAttendance(db: Queryable, childId: string): Promise<AttendanceRow[]> {
  return base(db)
    .where('a.child_id', '=', childId)
    .orderBy('a.ends_on', 'desc')
    .orderBy('a.starts_on', 'desc')
    .orderBy('a.recorded_at', 'desc')
    .execute()
}

/**
 * The child's current (not superseded) period that ends last: chosen among the child's periods
 * first, then joined to its school and recorder, since joining every period before choosing
 * touched about 95 buffers for a child with five years of history where this touches about 10
 * (EXPLAIN, national data). A prepared statement (db/prepared.ts): the child's record and every
 * PEP's attendance page ask it.
 */
export async function latestAttendance(
  db: Queryable,
  childId: string,
): Promise<AttendanceRow | undefined> {
  const [row] = await executePrepared(
    db,
    base(db).where('a.id', '=', (eb) =>
      eb
        .selectFrom('attendance_period as l')
        .select('l.id')
        .where('l.child_id', '=', childId)
        .where('l.superseded_at', 'is', null)
        .orderBy('l.ends_on', 'desc')
        .orderBy('l.starts_on', 'asc')
        .orderBy('l.recorded_at', 'desc')
        .limit(1),
    ),
  )
  return row
}

export async function findAttendance(
  db: Queryable,
  childId: string,
  periodId: string,
): Promise<AttendanceRow | undefined> {
  return base(db).where('a.child_id', '=', childId).where('a.id', '=', periodId).executeTakeFirst()
}

/** A current period of the child at the school with the same dates, locked for the change. */
export async function findCurrentSamePeriod(
  db: Queryable,
  key: { childId: string; schoolId: string | null; startsOn: string; endsOn: string },
): Promise<{ id: string } | undefined> {
  let query = db
    .selectFrom('attendance_period')
    .select('id')
    .where('child_id', '=', key.childId)
    .where('starts_on', '=', key.startsOn)
    .where('ends_on', '=', key.endsOn)
    .where('superseded_at', 'is', null)
  query =
    key.schoolId === null
      ? query.where('school_id', 'is', null)
      : query.where('school_id', '=', key.schoolId)
  return query.forUpdate().executeTakeFirst()
}

export interface NewAttendance extends AttendancePeriod {
  childId: string
  schoolId: string | null
  source: 'record' | 'pep' | 'import'
  pepId?: string | null
  recordedBy: string | null
  recordedAt: Date
}

export const attendanceValues = (row: NewAttendance) => ({
  child_id: row.childId,
  school_id: row.schoolId,
  starts_on: row.startsOn,
  ends_on: row.endsOn,
  sessions_possible: row.possible,
  sessions_attended: row.attended,
  authorised_absence: row.authorised,
  unauthorised_absence: row.unauthorised,
  source: row.source,
  pep_id: row.pepId ?? null,
  recorded_by: row.recordedBy,
  recorded_at: row.recordedAt,
})

export async function insertAttendance(db: Queryable, row: NewAttendance): Promise<string> {
  const { id } = await db
    .insertInto('attendance_period')
    .values(attendanceValues(row))
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/**
 * Marks a row superseded: first with no successor (so a new current row may take its place),
 * then again naming the row that replaced it.
 */
export async function supersede(
  db: Queryable,
  id: string,
  by: { at: Date; by?: string },
): Promise<void> {
  await db
    .updateTable('attendance_period')
    .set({ superseded_at: by.at, superseded_by: by.by ?? null })
    .where('id', '=', id)
    .execute()
}

/** The school the child was at on a date, from the school history; else the current school. */
export async function schoolOn(
  db: Queryable,
  childId: string,
  date: string,
): Promise<string | null> {
  const moved = await db
    .selectFrom('child_school')
    .select('school_id')
    .where('child_id', '=', childId)
    .where('started_on', '<=', date)
    .where((eb) => eb.or([eb('ended_on', 'is', null), eb('ended_on', '>=', date)]))
    .orderBy('started_on', 'desc')
    .executeTakeFirst()
  if (moved) return moved.school_id
  const child = await db
    .selectFrom('child')
    .select('school_id')
    .where('id', '=', childId)
    .executeTakeFirst()
  return child?.school_id ?? null
}

/**
 * Forgets the "below the line" notice of each child and period (by its last day) that no current
 * row of the child with that last day is below the line any more, so that a later fall below the
 * line alarms again (once per fall): the notice is what keeps a period from alarming twice.
 */
export async function releaseBelowLineNotices(
  db: Queryable,
  input: { about: readonly { childId: string; endsOn: string }[]; line: number },
): Promise<number> {
  if (input.about.length === 0) return 0
  // One statement whatever the number of periods: the pairs sent as two arrays (db/unnest.ts).
  const about = unnestRows(
    { child_id: 'uuid', ends_on: 'date' },
    input.about.map((a) => ({ child_id: a.childId, ends_on: a.endsOn })),
  ).as('about')
  const result = await db
    .deleteFrom('scheduled_notice as n')
    .where('n.kind', '=', 'attendance-below')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom(about)
          .select(sql`1`.as('one'))
          .where(sql<boolean>`about.child_id = n.subject_id and about.ends_on = n.for_date`),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('attendance_period as a')
            .select('a.id')
            .whereRef('a.child_id', '=', 'n.subject_id')
            .whereRef('a.ends_on', '=', 'n.for_date')
            .where('a.superseded_at', 'is', null)
            .where('a.sessions_possible', '>', 0)
            .where(sql<boolean>`a.sessions_attended * 100 < ${input.line} * a.sessions_possible`),
        ),
      ),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * Locks the children's rows until the transaction ends, in the order of their ids, so that two
 * changes of the same children's attendance at once (two imports, an import and the form, in two
 * processes) take turns: the second reads what the first saved, and finds its periods there.
 */
export async function lockChildrenForAttendance(
  db: Queryable,
  childIds: readonly string[],
): Promise<void> {
  if (childIds.length === 0) return
  await db
    .selectFrom('child')
    .select('id')
    .where('id', '=', anyOf([...new Set(childIds)].sort()))
    .orderBy('id')
    .forNoKeyUpdate()
    .execute()
}

/** The PEP a form on the record was opened from, if it is one of this child's. */
export async function pepOfChild(
  db: Queryable,
  childId: string,
  pepId: unknown,
): Promise<string | undefined> {
  if (!isUuid(pepId)) return undefined
  const pep = await db
    .selectFrom('pep')
    .select('id')
    .where('id', '=', pepId)
    .where('child_id', '=', childId)
    .executeTakeFirst()
  return pep?.id
}
