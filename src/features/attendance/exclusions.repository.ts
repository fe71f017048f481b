import type { Queryable } from '../../db/connection.ts'
import type { Exclusion, ExclusionStatus } from '../../domain/exclusion.ts'

/* The queries and writes of `exclusion` (issue 19). */

export interface ExclusionRow extends Exclusion {
  id: string
  schoolName: string | null
  recordedBy: string | null
  recordedAt: Date
  version: number
  status: ExclusionStatus
}

/** One earlier version of an exclusion, as it was saved. */
export interface ExclusionRevisionRow {
  exclusionId: string
  version: number
  record: Exclusion & { status?: ExclusionStatus }
  recordedBy: string | null
  recordedAt: Date
}

/** The child's exclusions as they stand: each as an `ExclusionRow`, with its school and who recorded it. */
function exclusionsOf(db: Queryable, childId: string) {
  return db
    .selectFrom('exclusion as e')
    .leftJoin('school as s', 's.id', 'e.school_id')
    .leftJoin('app_user as u', 'u.id', 'e.recorded_by')
    .select([
      'e.id',
      'e.kind',
      'e.starts_on as startsOn',
      'e.ends_on as endsOn',
      'e.sessions_missed as sessionsMissed',
      'e.reason',
      'e.provision',
      's.name as schoolName',
      'u.display_name as recordedBy',
      'e.recorded_at as recordedAt',
      'e.version',
      'e.status',
    ])
    .where('e.child_id', '=', childId)
}

export async function listExclusions(db: Queryable, childId: string): Promise<ExclusionRow[]> {
  const rows = await exclusionsOf(db, childId)
    .orderBy('e.starts_on', 'desc')
    .orderBy('e.recorded_at', 'desc')
    .orderBy('e.id')
    .execute()
  return rows as ExclusionRow[]
}

/** One exclusion of the child as it stands, locked for a correction when asked. */
export async function findExclusion(
  db: Queryable,
  childId: string,
  id: string,
  lock = false,
): Promise<(ExclusionRow & { schoolId: string | null }) | undefined> {
  let query = exclusionsOf(db, childId).select('e.school_id as schoolId').where('e.id', '=', id)
  if (lock) query = query.forUpdate('e')
  return (await query.executeTakeFirst()) as
    (ExclusionRow & { schoolId: string | null }) | undefined
}

/** Every version of the child's exclusions, each exclusion's newest first. */
export async function listExclusionRevisions(
  db: Queryable,
  childId: string,
): Promise<ExclusionRevisionRow[]> {
  const rows = await db
    .selectFrom('exclusion_revision as r')
    .leftJoin('app_user as u', 'u.id', 'r.recorded_by')
    .select([
      'r.exclusion_id as exclusionId',
      'r.version',
      'r.record',
      'u.display_name as recordedBy',
      'r.recorded_at as recordedAt',
    ])
    .where('r.child_id', '=', childId)
    .orderBy('r.exclusion_id')
    .orderBy('r.version', 'desc')
    .execute()
  return rows as unknown as ExclusionRevisionRow[]
}

/** Appends a version to the exclusion's history: what it holds once saved. */
export async function appendExclusionRevision(
  db: Queryable,
  row: {
    exclusionId: string
    childId: string
    version: number
    record: Exclusion & { status: ExclusionStatus; schoolId: string | null }
    recordedBy: string
    at: Date
  },
): Promise<void> {
  await db
    .insertInto('exclusion_revision')
    .values({
      exclusion_id: row.exclusionId,
      child_id: row.childId,
      version: row.version,
      record: JSON.stringify(row.record),
      recorded_by: row.recordedBy,
      recorded_at: row.at,
    })
    .execute()
}

/** Saves a correction over the exclusion as it stands, one version on. */
export async function updateExclusion(
  db: Queryable,
  row: Exclusion & {
    id: string
    status: ExclusionStatus
    version: number
    recordedBy: string
    at: Date
  },
): Promise<void> {
  await db
    .updateTable('exclusion')
    .set({
      kind: row.kind,
      starts_on: row.startsOn,
      ends_on: row.endsOn,
      sessions_missed: row.sessionsMissed,
      reason: row.reason,
      provision: row.provision,
      status: row.status,
      version: row.version,
      recorded_by: row.recordedBy,
      recorded_at: row.at,
    })
    .where('id', '=', row.id)
    .execute()
}

/** Whether another exclusion of the child, in force, starts on the day (its task shares it). */
export async function otherInForceOn(
  db: Queryable,
  input: { childId: string; startsOn: string; exceptId: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('exclusion')
    .select('id')
    .where('child_id', '=', input.childId)
    .where('starts_on', '=', input.startsOn)
    .where('status', '=', 'in-force')
    .where('id', '!=', input.exceptId)
    .executeTakeFirst()
  return row !== undefined
}

export async function insertExclusion(
  db: Queryable,
  row: Exclusion & { childId: string; schoolId: string | null; recordedBy: string; at: Date },
): Promise<string> {
  const { id } = await db
    .insertInto('exclusion')
    .values({
      child_id: row.childId,
      school_id: row.schoolId,
      kind: row.kind,
      starts_on: row.startsOn,
      ends_on: row.endsOn,
      sessions_missed: row.sessionsMissed,
      reason: row.reason,
      provision: row.provision,
      recorded_by: row.recordedBy,
      recorded_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}
