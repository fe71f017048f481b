import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'

export async function listSchoolHistory(db: Queryable, childId: string) {
  return db
    .selectFrom('child_school as cs')
    .innerJoin('school as s', 's.id', 'cs.school_id')
    .select([
      's.name',
      's.urn',
      'cs.started_on as startedOn',
      'cs.ended_on as endedOn',
      'cs.reason',
    ])
    .where('cs.child_id', '=', childId)
    .orderBy('cs.started_on', 'desc')
    .orderBy('cs.created_at', 'desc')
    .execute()
}

export async function listEvents(db: Queryable, childId: string) {
  return db
    .selectFrom('child_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.recorded_by')
    .select([
      'e.id',
      'e.kind',
      'e.summary',
      'e.occurred_on as occurredOn',
      'e.recorded_at as recordedAt',
      'u.display_name as recordedByName',
    ])
    .where('e.child_id', '=', childId)
    .orderBy('e.recorded_at', 'desc')
    .orderBy('e.id')
    .limit(200)
    .execute()
}

/** An open school of the child's authority (each authority keeps its own list of schools). */
export async function findOpenSchoolByUrn(db: Queryable, authorityId: string, urn: string) {
  return db
    .selectFrom('school')
    .select(['id', 'name', 'urn'])
    .where('authority_id', '=', authorityId)
    .where('urn', '=', urn)
    .where('open', '=', true)
    .executeTakeFirst()
}

/** Social workers and personal advisors of the authority: who may own a child's record. */
export async function listPossibleOwners(db: Queryable, authorityId: string) {
  return db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.display_name as displayName', 'u.email', 'm.role'])
    .where('m.authority_id', '=', authorityId)
    .where('m.role', 'in', ['social_worker', 'personal_advisor'])
    .where('u.status', '=', 'active')
    .orderBy('u.display_name')
    .execute()
}

export async function currentSchoolPlacement(db: Queryable, childId: string) {
  return db
    .selectFrom('child_school')
    .select(['id', 'school_id', 'started_on'])
    .where('child_id', '=', childId)
    .where('ended_on', 'is', null)
    .orderBy('started_on', 'desc')
    .executeTakeFirst()
}

export async function insertEvent(
  db: Queryable,
  event: {
    childId: string
    kind: string
    occurredOn: string
    summary: string
    details?: Record<string, unknown>
    recordedBy: string | null
    at: Date
  },
) {
  await db
    .insertInto('child_event')
    .values({
      child_id: event.childId,
      kind: event.kind,
      occurred_on: event.occurredOn,
      summary: event.summary,
      details: JSON.stringify(event.details ?? {}),
      recorded_by: event.recordedBy,
      recorded_at: event.at,
    })
    .execute()
}

/** Every change to the child row bumps its version, so an edit made from an older copy is caught. */
export function bumpVersion() {
  return sql<number>`version + 1`
}
