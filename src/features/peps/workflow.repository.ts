import type { Queryable } from '../../db/connection.ts'
import type { DelegationStatus } from '../../db/schema.ts'
import { placeIsLive, SCHOOL_CAPACITIES } from '../../shared/child-access.ts'

/* Queries for a PEP's life: its delegation, its events, the school's teacher, the settings. */

export interface DelegationRow {
  id: string
  delegatedTo: string
  delegatedToName: string
  sections: string[]
  dueOn: string
  status: DelegationStatus
}

/** The live delegation (delegated or submitted), if any. */
export async function liveDelegation(
  db: Queryable,
  pepId: string,
): Promise<DelegationRow | undefined> {
  return db
    .selectFrom('pep_delegation as d')
    .innerJoin('app_user as u', 'u.id', 'd.delegated_to')
    .select([
      'd.id',
      'd.delegated_to as delegatedTo',
      'u.display_name as delegatedToName',
      'd.sections',
      'd.due_on as dueOn',
      'd.status',
    ])
    .where('d.pep_id', '=', pepId)
    .where('d.status', 'in', ['delegated', 'submitted'])
    .executeTakeFirst()
}

/** The last delegation that ended as done (the contribution was accepted), to reactivate. */
export async function lastDoneDelegation(db: Queryable, pepId: string) {
  return db
    .selectFrom('pep_delegation')
    .select(['id', 'delegated_to as delegatedTo', 'sections', 'due_on as dueOn'])
    .where('pep_id', '=', pepId)
    .where('status', '=', 'done')
    .orderBy('created_at', 'desc')
    .executeTakeFirst()
}

export async function setDelegationStatus(
  db: Queryable,
  change: { id: string; status: DelegationStatus; at: Date },
): Promise<void> {
  await db
    .updateTable('pep_delegation')
    .set({
      status: change.status,
      ...(change.status === 'submitted' ? { submitted_at: change.at } : {}),
      ...(change.status === 'retracted' || change.status === 'done' ? { ended_at: change.at } : {}),
    })
    .where('id', '=', change.id)
    .execute()
}

export async function insertDelegation(
  db: Queryable,
  delegation: {
    pepId: string
    to: string
    by: string
    sections: string[]
    dueOn: string
    at: Date
  },
): Promise<void> {
  await db
    .insertInto('pep_delegation')
    .values({
      pep_id: delegation.pepId,
      delegated_to: delegation.to,
      delegated_by: delegation.by,
      sections: JSON.stringify(delegation.sections),
      pages: null,
      due_on: delegation.dueOn,
      status: 'delegated',
      created_at: delegation.at,
    })
    .execute()
}

/**
 * The designated teacher (or person) on the child's access list whose place holds (ADR 8): whom
 * school sections go to.
 */
/** Everyone at the child's school on its access list (whose place holds), newest first. */
export async function schoolStaff(db: Queryable, childId: string) {
  return db
    .selectFrom('child_access as a')
    .innerJoin('app_user as u', 'u.id', 'a.user_id')
    .select(['u.id', 'u.display_name as name', 'u.email', 'a.capacity'])
    .where('a.child_id', '=', childId)
    .where(placeIsLive('a'))
    .where('a.capacity', 'in', SCHOOL_CAPACITIES)
    .orderBy('a.added_at', 'desc')
    .orderBy('u.display_name')
    .execute()
}

export async function schoolContact(db: Queryable, childId: string) {
  return db
    .selectFrom('child_access as a')
    .innerJoin('app_user as u', 'u.id', 'a.user_id')
    .select(['u.id', 'u.display_name as name', 'u.email'])
    .where('a.child_id', '=', childId)
    .where(placeIsLive('a'))
    .where('a.capacity', 'in', SCHOOL_CAPACITIES)
    .orderBy('a.added_at', 'desc')
    .executeTakeFirst()
}

/**
 * The record owner, else the social worker (or personal advisor) on the access list: only while
 * their place on the list holds (ADR 8), so no email names the child to someone who may no
 * longer see it.
 */
export async function socialWorkerOf(db: Queryable, childId: string) {
  const owner = await db
    .selectFrom('child as c')
    .innerJoin('app_user as u', 'u.id', 'c.record_owner_id')
    .innerJoin('child_access as a', (join) =>
      join.onRef('a.child_id', '=', 'c.id').onRef('a.user_id', '=', 'c.record_owner_id'),
    )
    .select(['u.id', 'u.display_name as name', 'u.email'])
    .where('c.id', '=', childId)
    .where(placeIsLive('a'))
    .executeTakeFirst()
  if (owner) return owner
  return db
    .selectFrom('child_access as a')
    .innerJoin('app_user as u', 'u.id', 'a.user_id')
    .select(['u.id', 'u.display_name as name', 'u.email'])
    .where('a.child_id', '=', childId)
    .where(placeIsLive('a'))
    .where('a.capacity', 'in', ['social_worker', 'personal_advisor'])
    .orderBy('a.added_at', 'desc')
    .executeTakeFirst()
}

export async function recordEvent(
  db: Queryable,
  event: {
    pepId: string
    kind: string
    by: string
    at: Date
    comments?: string | null
    details?: Record<string, unknown>
  },
): Promise<void> {
  await db
    .insertInto('pep_event')
    .values({
      pep_id: event.pepId,
      kind: event.kind,
      by_user: event.by,
      at: event.at,
      comments: event.comments ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute()
}

export async function eventsOf(db: Queryable, pepId: string) {
  return db
    .selectFrom('pep_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.by_user')
    .select(['e.kind', 'e.at', 'e.comments', 'e.details', 'u.display_name as byName'])
    .where('e.pep_id', '=', pepId)
    .orderBy('e.at', 'desc')
    .execute()
}

/** Reopens sections: their completion is cleared, their answers untouched. */
export async function reopenSections(
  db: Queryable,
  pepId: string,
  sections: readonly string[],
): Promise<void> {
  if (sections.length === 0) return
  await db
    .deleteFrom('pep_section')
    .where('pep_id', '=', pepId)
    .where('section_id', 'in', [...sections])
    .execute()
}
