import type { Queryable } from '../../db/connection.ts'
import type { Exclusion } from '../../domain/exclusion.ts'

/* The queries and writes of `exclusion` (issue 19). */

export interface ExclusionRow extends Exclusion {
  id: string
  schoolName: string | null
  recordedBy: string | null
  recordedAt: Date
}

export async function listExclusions(db: Queryable, childId: string): Promise<ExclusionRow[]> {
  const rows = await db
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
    ])
    .where('e.child_id', '=', childId)
    .orderBy('e.starts_on', 'desc')
    .orderBy('e.recorded_at', 'desc')
    .execute()
  return rows as ExclusionRow[]
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
