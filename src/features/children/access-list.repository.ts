import { sql } from 'kysely'
import type { Database, Queryable } from '../../db/connection.ts'
import { executePrepared } from '../../db/prepared.ts'
import type { AccessEndReason } from '../../db/schema.ts'
import { VIRTUAL_SCHOOL_ROLES } from '../../domain/roles.ts'
import { placeIsLive, selectAccessPlaces, type AccessListEntry } from '../../shared/child-access.ts'

export interface EndedAccessEntry {
  id: string
  displayName: string
  capacity: string
  addedAt: Date
  removedAt: Date
  removedByName: string | null
  endReason: AccessEndReason | null
}

/**
 * The child's list as the record shows it, in one read of the child's places: the people on it
 * now (as listAccessEntries, from the same selection: live places that still hold, by name) and
 * who had access and no longer has, the list's history (ADR 8; the newest `limit` places that
 * ended, newest ending first, chosen in SQL). Run as a prepared statement (db/prepared.ts), as
 * the record is opened often and this cost more to plan than to run.
 */
export async function listPlacesOfChild(
  db: Database,
  childId: string,
  limit = 100,
): Promise<{ current: AccessListEntry[]; ended: EndedAccessEntry[] }> {
  const rows = await executePrepared(
    db,
    selectAccessPlaces(db, childId)
      .leftJoin('app_user as rb', 'rb.id', 'ca.removed_by')
      .select([
        'ca.removed_at as removedAt',
        'rb.display_name as removedByName',
        'ca.end_reason as endReason',
      ])
      // A live place counts only while it holds; of the ended, the newest `limit`.
      .where((eb) =>
        eb.or([
          placeIsLive('ca'),
          eb(
            'ca.id',
            'in',
            eb
              .selectFrom('child_access as ended')
              .select('ended.id')
              .where('ended.child_id', '=', childId)
              .where('ended.removed_at', 'is not', null)
              .orderBy('ended.removed_at', 'desc')
              .orderBy('ended.id')
              .limit(limit),
          ),
        ]),
      )
      // The live places first, by name; then the ended, newest ending first.
      .orderBy(sql`ca.removed_at is not null`)
      .orderBy(sql`case when ca.removed_at is null then u.display_name end`)
      .orderBy('ca.removed_at', 'desc')
      .orderBy('ca.id'),
  )
  const current: AccessListEntry[] = []
  const ended: EndedAccessEntry[] = []
  for (const { removedAt, removedByName, endReason, ...place } of rows) {
    if (removedAt === null) current.push(place)
    else
      ended.push({
        id: place.id,
        displayName: place.displayName,
        capacity: place.capacity,
        addedAt: place.addedAt,
        removedAt,
        removedByName,
        endReason,
      })
  }
  return { current, ended }
}

export interface AccessCandidate {
  userId: string
  displayName: string
  role: string
}

/**
 * Who could be added: active users of the child's authority in a role that needs a place on the
 * list (Virtual School staff see every child already), not on it now.
 */
export async function listAccessCandidates(
  db: Queryable,
  childId: string,
  authorityId: string,
): Promise<AccessCandidate[]> {
  return (
    db
      .selectFrom('membership as m')
      .innerJoin('app_user as u', 'u.id', 'm.user_id')
      .select(['u.id as userId', 'u.display_name as displayName', 'm.role'])
      .where('m.authority_id', '=', authorityId)
      .where('u.status', '=', 'active')
      .where('m.role', 'not in', [...VIRTUAL_SCHOOL_ROLES, 'auditor'])
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('child_access as ca')
              .select('ca.id')
              .whereRef('ca.user_id', '=', 'u.id')
              .where('ca.child_id', '=', childId)
              .where('ca.removed_at', 'is', null),
          ),
        ),
      )
      // A young person's account is one child's (ADR 10): offered only to a child without one,
      // and only while the account is linked to no child.
      .where((eb) =>
        eb.or([
          eb('m.role', '<>', 'young_person'),
          eb.not(
            eb.exists(
              eb
                .selectFrom('child_access as yp')
                .select('yp.id')
                .where('yp.capacity', '=', 'young_person')
                .where('yp.removed_at', 'is', null)
                .where((w) =>
                  w.or([w('yp.user_id', '=', w.ref('u.id')), w('yp.child_id', '=', childId)]),
                ),
            ),
          ),
        ]),
      )
      .orderBy('u.display_name')
      .orderBy('m.role')
      .execute()
  )
}

export interface NewAccessEntry {
  childId: string
  userId: string
  capacity: string
  addedBy: string | null
  at: Date
}

/** Puts people on a child's list; anyone already on it stays as they are. Returns how many were added. */
export async function addAccessEntries(db: Queryable, entries: NewAccessEntry[]): Promise<number> {
  if (entries.length === 0) return 0
  const rows = await db
    .insertInto('child_access')
    .values(
      entries.map((e) => ({
        child_id: e.childId,
        user_id: e.userId,
        capacity: e.capacity,
        added_by: e.addedBy,
        added_at: e.at,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['child_id', 'user_id']).where('removed_at', 'is', null).doNothing(),
    )
    .returning('id')
    .execute()
  return rows.length
}

/** Takes someone off the list; the row stays, with who removed them and when. */
export async function removeAccessEntry(
  db: Queryable,
  input: { childId: string; accessId: string; removedBy: string; at: Date },
) {
  return db
    .updateTable('child_access')
    .set({ removed_at: input.at, removed_by: input.removedBy })
    .where('id', '=', input.accessId)
    .where('child_id', '=', input.childId)
    .where('removed_at', 'is', null)
    .returning(['user_id', 'capacity'])
    .executeTakeFirst()
}
