import type { FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { formatDate } from '../../views/format.ts'
import { bumpVersion, currentSchoolPlacement, insertEvent } from './history.repository.ts'
import { addAccessEntries } from './access-list.repository.ts'

/*
 * The events on a child's record (section 10 of the domain brief). Each is one transaction: the
 * change to the child, its history row, the event on the record and the audit event.
 */

interface Actor {
  request: FastifyRequest
  at: Date
}

/** A change of school: history kept, and the new school's designated people join the access list. */
export async function changeSchool(
  db: Database,
  actor: Actor,
  input: { childId: string; school: { id: string; name: string }; movedOn: string; reason: string },
): Promise<void> {
  const userId = actor.request.user!.id
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
    await trx
      .updateTable('child')
      .set({ school_id: input.school.id, version: bumpVersion(), updated_at: actor.at })
      .where('id', '=', input.childId)
      .execute()
    // Future delegation goes to the new school's designated teacher (or person), so they need to see the child.
    const designated = await trx
      .selectFrom('membership')
      .select(['user_id', 'role'])
      .where('school_id', '=', input.school.id)
      .where('role', 'in', ['designated_teacher', 'designated_person'])
      .execute()
    await addAccessEntries(
      trx,
      designated.map((d) => ({
        childId: input.childId,
        userId: d.user_id,
        capacity: d.role,
        addedBy: userId,
        at: actor.at,
      })),
    )
    await insertEvent(trx, {
      childId: input.childId,
      kind: 'school_change',
      occurredOn: input.movedOn,
      summary: `Moved to ${input.school.name} on ${formatDate(input.movedOn)}${input.reason ? `: ${input.reason}` : ''}`,
      details: { schoolId: input.school.id, previousSchoolId: current?.school_id ?? null },
      recordedBy: userId,
      at: actor.at,
    })
    await actor.request.audit(
      { action: 'child.event.record', outcome: 'success', details: { kind: 'school_change' } },
      trx,
    )
  })
}

/** A change of care placement: recorded on the record; no new PEP is needed. */
export async function changePlacement(
  db: Database,
  actor: Actor,
  input: { childId: string; placement: string; changedOn: string },
) {
  const userId = actor.request.user!.id
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('child')
      .set({ placement: input.placement, version: bumpVersion(), updated_at: actor.at })
      .where('id', '=', input.childId)
      .execute()
    await insertEvent(trx, {
      childId: input.childId,
      kind: 'placement_change',
      occurredOn: input.changedOn,
      summary: `Placement changed on ${formatDate(input.changedOn)}: ${input.placement}`,
      recordedBy: userId,
      at: actor.at,
    })
    await actor.request.audit(
      { action: 'child.event.record', outcome: 'success', details: { kind: 'placement_change' } },
      trx,
    )
  })
}

/** A new record owner, who is put on the access list if they are not on it. */
export async function changeOwner(
  db: Database,
  actor: Actor,
  input: {
    childId: string
    owner: { id: string; displayName: string; role: string }
    today: string
  },
) {
  const userId = actor.request.user!.id
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('child')
      .set({ record_owner_id: input.owner.id, version: bumpVersion(), updated_at: actor.at })
      .where('id', '=', input.childId)
      .execute()
    await addAccessEntries(trx, [
      {
        childId: input.childId,
        userId: input.owner.id,
        capacity: input.owner.role,
        addedBy: userId,
        at: actor.at,
      },
    ])
    await insertEvent(trx, {
      childId: input.childId,
      kind: 'owner_change',
      occurredOn: input.today,
      summary: `Record owner changed to ${input.owner.displayName}`,
      details: { ownerId: input.owner.id },
      recordedBy: userId,
      at: actor.at,
    })
    await actor.request.audit(
      {
        action: 'child.event.record',
        outcome: 'success',
        subjectUserId: input.owner.id,
        details: { kind: 'owner_change' },
      },
      trx,
    )
  })
}

/** The child ceases to be in care: the record stays, read-only, and no further PEPs are started. */
export async function ceaseCare(
  db: Database,
  actor: Actor,
  input: { childId: string; ceasedOn: string; reason: string },
) {
  const userId = actor.request.user!.id
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('child')
      .set({
        status: 'ceased',
        ceased_on: input.ceasedOn,
        ceased_reason: input.reason,
        version: bumpVersion(),
        updated_at: actor.at,
      })
      .where('id', '=', input.childId)
      .where('status', '=', 'in_care')
      .execute()
    await insertEvent(trx, {
      childId: input.childId,
      kind: 'ceased',
      occurredOn: input.ceasedOn,
      summary: `Ceased to be in care on ${formatDate(input.ceasedOn)}: ${input.reason}`,
      recordedBy: userId,
      at: actor.at,
    })
    await actor.request.audit(
      { action: 'child.event.record', outcome: 'success', details: { kind: 'ceased' } },
      trx,
    )
  })
}
