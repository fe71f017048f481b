import type { Database } from '../../db/connection.ts'
import { isRole } from '../../domain/roles.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { uniqueViolation } from '../../shared/uniqueness.ts'
import { endDelegationsOnRemoval } from '../peps/workflow.service.ts'
import {
  addAccessEntries,
  listAccessCandidates,
  removeAccessEntry,
} from './access-list.repository.ts'

/*
 * A child's access list (ADR 8), changed by Virtual School staff: each change one transaction
 * with its audit event (ADR 7). The route checks the record is not read-only and reads the form.
 */

export type AccessListRefusal =
  'access-list.not-a-candidate' | 'access-list.young-person-linked' | 'access-list.not-on-list'

/**
 * Puts a person on the child's list in the role they hold: refused for anyone not offered (not
 * of the child's authority, on the list already, or in a role that needs no place on it), and
 * for a young person's account linked meanwhile (to this child or another: ADR 10).
 */
export async function addToAccessList(
  db: Database,
  actor: PersonActor,
  input: { childId: string; authorityId: string; userId: string; capacity: string },
): Promise<Result<{ displayName: string }, AccessListRefusal>> {
  const candidates = await listAccessCandidates(db, input.childId, input.authorityId)
  const chosen = candidates.find((c) => c.userId === input.userId && c.role === input.capacity)
  if (!chosen || !isRole(chosen.role)) return refuse('access-list.not-a-candidate')
  const capacity = chosen.role
  return db
    .transaction()
    .execute(async (trx) => {
      const added = await addAccessEntries(trx, [
        {
          childId: input.childId,
          userId: chosen.userId,
          capacity,
          addedBy: actor.userId,
          at: actor.now,
        },
      ])
      if (added)
        await audit(trx, actor, {
          action: 'child.access.add',
          childId: input.childId,
          subjectUserId: chosen.userId,
          details: { capacity },
        })
    })
    .then(
      () => ok({ displayName: chosen.displayName }),
      (error: unknown) => {
        if (uniqueViolation(error)?.includes('young_person'))
          return refuse('access-list.young-person-linked', { displayName: chosen.displayName })
        throw error
      },
    )
}

/** Takes a person off the child's list (the entry stays, ended); refused for no such entry. */
export async function removeFromAccessList(
  db: Database,
  actor: PersonActor,
  input: { childId: string; accessId: string },
): Promise<Result<void, AccessListRefusal>> {
  return db.transaction().execute(async (trx) => {
    const row = await removeAccessEntry(trx, {
      childId: input.childId,
      accessId: input.accessId,
      removedBy: actor.userId,
      at: actor.now,
    })
    if (!row) return refuse('access-list.not-on-list')
    // Access follows the relationship (issue 15): their live delegations of the child's PEPs end.
    const delegationsEnded = await endDelegationsOnRemoval(trx, {
      childId: input.childId,
      userId: row.user_id,
      by: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'child.access.remove',
      childId: input.childId,
      subjectUserId: row.user_id,
      details: { capacity: row.capacity, delegationsEnded },
    })
    return ok(undefined)
  })
}
