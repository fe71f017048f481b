import type { Queryable } from '../../db/connection.ts'
import { executePrepared } from '../../db/prepared.ts'
import { columnsOf, unnestRows } from '../../db/unnest.ts'
import type { Circumstance, CircumstanceKind } from '../../domain/education-circumstance.ts'

/* The queries and writes of `child_education_circumstance` (issue 17). */

export interface CircumstanceRow extends Circumstance {
  id: string
  recordedBy: string | null
  recordedAt: Date
  endedBy: string | null
  endedAt: Date | null
}

const hours = (value: string | number | null) => (value === null ? null : Number(value))

/**
 * The child's circumstances, the latest first (then by when recorded, then id). A prepared
 * statement (db/prepared.ts): the child's record asks it on every view.
 */
export async function listCircumstances(
  db: Queryable,
  childId: string,
): Promise<CircumstanceRow[]> {
  const rows = await executePrepared(
    db,
    db
      .selectFrom('child_education_circumstance as e')
      .leftJoin('app_user as u', 'u.id', 'e.recorded_by')
      .leftJoin('app_user as v', 'v.id', 'e.ended_by')
      .select([
        'e.id',
        'e.kind',
        'e.starts_on as startsOn',
        'e.ends_on as endsOn',
        'e.provider',
        'e.hours_per_week as hoursPerWeek',
        'e.reason',
        'u.display_name as recordedBy',
        'e.recorded_at as recordedAt',
        'v.display_name as endedBy',
        'e.ended_at as endedAt',
      ])
      .where('e.child_id', '=', childId)
      .orderBy('e.starts_on', 'desc')
      .orderBy('e.recorded_at', 'desc')
      .orderBy('e.id'),
  )
  return rows.map((r) => ({ ...r, hoursPerWeek: hours(r.hoursPerWeek) }))
}

export async function findCircumstance(db: Queryable, childId: string, id: string) {
  const row = await db
    .selectFrom('child_education_circumstance')
    .select([
      'id',
      'kind',
      'starts_on as startsOn',
      'ends_on as endsOn',
      'provider',
      'hours_per_week as hoursPerWeek',
      'reason',
    ])
    .where('child_id', '=', childId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? { ...row, hoursPerWeek: hours(row.hoursPerWeek) } : undefined
}

/** Another period of the same kind sharing a day with the one given. */
export async function findOverlapping(
  db: Queryable,
  childId: string,
  kind: CircumstanceKind,
  period: { startsOn: string; endsOn: string | null },
  exceptId?: string,
) {
  let query = db
    .selectFrom('child_education_circumstance')
    .select(['id', 'starts_on as startsOn', 'ends_on as endsOn'])
    .where('child_id', '=', childId)
    .where('kind', '=', kind)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', period.startsOn)]))
  if (period.endsOn !== null) query = query.where('starts_on', '<=', period.endsOn)
  if (exceptId) query = query.where('id', '<>', exceptId)
  return query.orderBy('starts_on').orderBy('id').executeTakeFirst()
}

export async function insertCircumstance(
  db: Queryable,
  row: Circumstance & { childId: string; recordedBy: string | null; at: Date },
): Promise<string> {
  const { id } = await db
    .insertInto('child_education_circumstance')
    .values({
      child_id: row.childId,
      kind: row.kind,
      starts_on: row.startsOn,
      ends_on: row.endsOn,
      provider: row.provider,
      hours_per_week: row.hoursPerWeek,
      reason: row.reason,
      recorded_by: row.recordedBy,
      recorded_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** Records the last day of an open period; answers whether it was still open. */
export async function setEndsOn(
  db: Queryable,
  input: { id: string; endsOn: string; by: string | null; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('child_education_circumstance')
    .set({ ends_on: input.endsOn, ended_by: input.by, ended_at: input.at })
    .where('id', '=', input.id)
    .where('ends_on', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** The child's date of birth (NEET is for post-16 only). */
export async function childDateOfBirth(db: Queryable, childId: string): Promise<string> {
  const row = await db
    .selectFrom('child')
    .select('date_of_birth')
    .where('id', '=', childId)
    .executeTakeFirstOrThrow()
  return row.date_of_birth
}

const IMPORTED = {
  id: 'uuid',
  child_id: 'uuid',
  kind: 'text',
  starts_on: 'date',
  ends_on: 'date',
  provider: 'text',
  hours_per_week: 'numeric',
  reason: 'text',
  recorded_by: 'uuid',
  recorded_at: 'timestamptz',
} as const

/** Many periods in one statement (an import): each column sent as one array. */
export async function insertCircumstances(
  db: Queryable,
  rows: readonly (Circumstance & { id: string; childId: string })[],
  by: string | null,
  at: Date,
): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('child_education_circumstance')
    .columns(columnsOf(IMPORTED))
    .expression(
      unnestRows(
        IMPORTED,
        rows.map((r) => ({
          id: r.id,
          child_id: r.childId,
          kind: r.kind,
          starts_on: r.startsOn,
          ends_on: r.endsOn,
          provider: r.provider,
          hours_per_week: r.hoursPerWeek === null ? null : String(r.hoursPerWeek),
          reason: r.reason,
          recorded_by: by,
          recorded_at: at,
        })),
      ),
    )
    .execute()
}
