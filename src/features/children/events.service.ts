import type { Database } from '../../db/connection.ts'
import { audit, type Actor } from '../../shared/actor.ts'
import { formatDate } from '../../views/format.ts'
import type { Queryable } from '../../db/connection.ts'
import { queueWebhookEvent } from '../../shared/webhooks.ts'
import {
  bumpVersion,
  currentSchoolPlacement,
  insertEvent as insertEventRow,
} from './history.repository.ts'
import { addAccessEntries } from './access-list.repository.ts'
import { endAccess, SCHOOL_CAPACITIES } from '../../shared/child-access.ts'

/*
 * The events on a child's record (section 10 of the domain brief). Each is one transaction: the
 * change to the child, its history row, the event on the record and the audit event.
 */

/** The event on the record, and the `child.changed` webhook for the authority's API clients. */
async function insertEvent(
  trx: Queryable,
  event: Parameters<typeof insertEventRow>[1],
): Promise<void> {
  await insertEventRow(trx, event)
  const { authority_id: authorityId } = await trx
    .selectFrom('child')
    .select('authority_id')
    .where('id', '=', event.childId)
    .executeTakeFirstOrThrow()
  await queueWebhookEvent(trx, {
    authorityId,
    type: 'child.changed',
    childId: event.childId,
    at: event.at,
  })
}

/**
 * A change of school: history kept; the old school's designated teachers and people lose the
 * child (unless they are staff of the new school too), and the new school's join the list.
 */
export async function changeSchool(
  db: Database,
  actor: Actor,
  input: { childId: string; school: { id: string; name: string }; movedOn: string; reason: string },
): Promise<void> {
  const userId = actor.userId
  await db.transaction().execute(async (trx) => {
    const current = await currentSchoolPlacement(trx, input.childId)
    if (current)
      await trx
        .updateTable('child_school')
        .set({ ended_on: input.movedOn })
        .where('id', '=', current.id)
        .execute()
    await trx
      .insertInto('child_school')
      .values({
        child_id: input.childId,
        school_id: input.school.id,
        started_on: input.movedOn,
        reason: input.reason || null,
        recorded_by: userId,
      })
      .execute()
    const { authority_id: authorityId } = await trx
      .updateTable('child')
      .set({ school_id: input.school.id, version: bumpVersion(), updated_at: actor.now })
      .where('id', '=', input.childId)
      .returning('authority_id')
      .executeTakeFirstOrThrow()
    const ended = await endAccess(trx, {
      reason: 'school_changed',
      childId: input.childId,
      at: actor.now,
      by: userId,
    })
    // Future delegation goes to the new school's designated teacher (or person), so they need to see the child.
    const designated = await trx
      .selectFrom('membership')
      .select(['user_id', 'role'])
      .where('school_id', '=', input.school.id)
      .where('authority_id', '=', authorityId)
      .where('role', 'in', SCHOOL_CAPACITIES)
      .execute()
    await addAccessEntries(
      trx,
      designated.map((d) => ({
        childId: input.childId,
        userId: d.user_id,
        capacity: d.role,
        addedBy: userId,
        at: actor.now,
      })),
    )
    await insertEvent(trx, {
      childId: input.childId,
      kind: 'school_change',
      occurredOn: input.movedOn,
      summary: `Moved to ${input.school.name} on ${formatDate(input.movedOn)}${input.reason ? `: ${input.reason}` : ''}`,
      details: { schoolId: input.school.id, previousSchoolId: current?.school_id ?? null },
      recordedBy: userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'child.event.record',
      childId: input.childId,
      details: { kind: 'school_change', accessEnded: ended.map((e) => e.id) },
    })
  })
}

/** A change of care placement: recorded on the record, and the carer's access ends; no new PEP is needed. */
export async function changePlacement(
  db: Database,
  actor: Actor,
  input: { childId: string; placement: string; changedOn: string },
) {
  const userId = actor.userId
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('child')
      .set({ placement: input.placement, version: bumpVersion(), updated_at: actor.now })
      .where('id', '=', input.childId)
      .execute()
    // The placement the carer's access rested on has ended.
    const ended = await endAccess(trx, {
      reason: 'placement_ended',
      childId: input.childId,
      at: actor.now,
      by: userId,
    })
    await insertEvent(trx, {
      childId: input.childId,
      kind: 'placement_change',
      occurredOn: input.changedOn,
      summary: `Placement changed on ${formatDate(input.changedOn)}: ${input.placement}`,
      recordedBy: userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'child.event.record',
      childId: input.childId,
      details: { kind: 'placement_change', accessEnded: ended.map((e) => e.id) },
    })
  })
}

/**
 * A new record owner, who is put on the access list if they are not on it; the previous owner's
 * access ends.
 */
export async function changeOwner(
  db: Database,
  actor: Actor,
  input: {
    childId: string
    owner: { id: string; displayName: string; role: string }
  },
) {
  const userId = actor.userId
  await db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('child')
      .select('record_owner_id')
      .where('id', '=', input.childId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    await trx
      .updateTable('child')
      .set({ record_owner_id: input.owner.id, version: bumpVersion(), updated_at: actor.now })
      .where('id', '=', input.childId)
      .execute()
    // The previous owner was the child's social worker: that relationship, and their access, end.
    const ended =
      previous.record_owner_id && previous.record_owner_id !== input.owner.id
        ? await endAccess(trx, {
            reason: 'owner_changed',
            childId: input.childId,
            userId: previous.record_owner_id,
            at: actor.now,
            by: userId,
          })
        : []
    await addAccessEntries(trx, [
      {
        childId: input.childId,
        userId: input.owner.id,
        capacity: input.owner.role,
        addedBy: userId,
        at: actor.now,
      },
    ])
    await insertEvent(trx, {
      childId: input.childId,
      kind: 'owner_change',
      occurredOn: actor.today,
      summary: `Record owner changed to ${input.owner.displayName}`,
      details: { ownerId: input.owner.id },
      recordedBy: userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'child.event.record',
      childId: input.childId,
      subjectUserId: input.owner.id,
      details: {
        kind: 'owner_change',
        previousOwnerId: previous.record_owner_id,
        accessEnded: ended.map((e) => e.id),
      },
    })
  })
}

/**
 * The child ceases to be in care: the record stays, read-only for those who keep access, the
 * carer's access ends, and no further PEPs are started.
 */
export async function ceaseCare(
  db: Database,
  actor: Actor,
  input: { childId: string; ceasedOn: string; reason: string },
) {
  const userId = actor.userId
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('child')
      .set({
        status: 'ceased',
        ceased_on: input.ceasedOn,
        ceased_reason: input.reason,
        version: bumpVersion(),
        updated_at: actor.now,
      })
      .where('id', '=', input.childId)
      .where('status', '=', 'in_care')
      .execute()
    // Care, and with it the care placement, has ended: the carer's access ends. Everyone else
    // keeps reading the record, which is now read-only.
    const ended = await endAccess(trx, {
      reason: 'left_care',
      childId: input.childId,
      at: actor.now,
      by: userId,
    })
    await insertEvent(trx, {
      childId: input.childId,
      kind: 'ceased',
      occurredOn: input.ceasedOn,
      summary: `Ceased to be in care on ${formatDate(input.ceasedOn)}: ${input.reason}`,
      recordedBy: userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'child.event.record',
      childId: input.childId,
      details: { kind: 'ceased', accessEnded: ended.map((e) => e.id) },
    })
  })
}

/** The reads the API (features/api) checks an event with, as the pages do (ADR 7). */
export {
  currentSchoolPlacement,
  findOpenSchoolByUrn,
  listPossibleOwners,
} from './history.repository.ts'
