import type { Database } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import { isVirtualSchoolRole, type Role } from '../../domain/roles.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { withUserInScope } from './admin-users.service.ts'

/*
 * The children an administrator puts a user in sight of (ADR 8), each change in one transaction
 * with its audit event (ADR 7). `authorityIds` are the authorities the administrator runs.
 */

export type ChildAccessRefusal =
  /** No child of the administrator's authorities has the case reference (or more than one has). */
  | 'admin.child-access.no-such-child'
  /** They hold no such role in the child's authority, or it is not a role given per child. */
  | 'admin.child-access.capacity'
  /** They can already see the child. */
  | 'admin.child-access.already'
  | 'admin.user.not-found'

/**
 * Puts a user on a child's access list, in one of the roles they hold in the child's authority.
 * The child is found by case reference among the administrator's authorities only.
 */
export async function addChildAccess(
  db: Database,
  actor: PersonActor,
  authorityIds: string[],
  userId: string,
  input: { caseReference: string; capacity: Role },
): Promise<Result<{ childName: string }, ChildAccessRefusal>> {
  return withUserInScope(db, authorityIds, userId, async (trx, user) => {
    const children = await trx
      .selectFrom('child')
      .select(['id', 'authority_id', 'first_name', 'last_name'])
      .where('authority_id', 'in', authorityIds)
      .where((eb) => eb(eb.fn('upper', ['case_reference']), '=', input.caseReference.toUpperCase()))
      .execute()
    const child = children[0]
    if (!child || children.length > 1) return refuse('admin.child-access.no-such-child')
    const holds = user.memberships.some(
      (m) => m.authorityId === child.authority_id && m.role === input.capacity,
    )
    if (!holds || isVirtualSchoolRole(input.capacity) || input.capacity === 'auditor')
      return refuse('admin.child-access.capacity')
    const added = await trx
      .insertInto('child_access')
      .values({
        child_id: child.id,
        user_id: user.id,
        capacity: input.capacity,
        added_by: actor.userId,
        added_at: actor.now,
      })
      .onConflict((oc) =>
        oc.columns(['child_id', 'user_id']).where('removed_at', 'is', null).doNothing(),
      )
      .returning('id')
      .executeTakeFirst()
    if (!added) return refuse('admin.child-access.already')
    await audit(trx, actor, {
      action: 'admin.child-access.change',
      subjectUserId: user.id,
      authorityId: child.authority_id,
      childId: child.id,
      details: { change: 'added', capacity: input.capacity, childAccessId: added.id },
    })
    return ok({ childName: `${child.first_name} ${child.last_name}` })
  })
}

/** Takes a user off a child's access list; the row stays, with who removed it and when, as history. */
export async function removeChildAccess(
  db: Database,
  actor: PersonActor,
  authorityIds: string[],
  userId: string,
  accessId: string,
): Promise<Result<{ childName: string }, 'admin.user.not-found'>> {
  if (!isUuid(accessId)) return refuse('admin.user.not-found')
  return withUserInScope(db, authorityIds, userId, async (trx, user) => {
    const row = await trx
      .selectFrom('child_access as ca')
      .innerJoin('child as c', 'c.id', 'ca.child_id')
      .select([
        'ca.id',
        'ca.capacity',
        'c.id as childId',
        'c.authority_id',
        'c.first_name',
        'c.last_name',
      ])
      .where('ca.id', '=', accessId)
      .where('ca.user_id', '=', user.id)
      .where('ca.removed_at', 'is', null)
      .where('c.authority_id', 'in', authorityIds)
      .forUpdate('ca')
      .executeTakeFirst()
    if (!row) return refuse('admin.user.not-found')
    await trx
      .updateTable('child_access')
      .set({ removed_at: actor.now, removed_by: actor.userId })
      .where('id', '=', row.id)
      .execute()
    await audit(trx, actor, {
      action: 'admin.child-access.change',
      subjectUserId: user.id,
      authorityId: row.authority_id,
      childId: row.childId,
      details: { change: 'removed', capacity: row.capacity, childAccessId: row.id },
    })
    return ok({ childName: `${row.first_name} ${row.last_name}` })
  })
}
