import { randomUUID } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { Database, Queryable } from '../../db/connection.ts'
import type { ChildFields } from '../../domain/child-validation.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { addAccessEntries } from '../children/access-list.repository.ts'
import { childRow, findChildCore, type ChildCore } from './child-admin.repository.ts'

/*
 * Adding children (one by one or from a file) and editing their core data. Each is one
 * transaction: the child rows, their first school history row, the 'created' or 'updated'
 * event on the record, their access list entries and the audit events.
 */

export const BATCH_SIZE = 1000

interface Actor {
  request: FastifyRequest
  at: Date
  today: CalendarDate
}

interface NewChild {
  id: string
  fields: ChildFields
}

/** Writes everything that goes with new children, in batches: history, events, access, audit. */
async function recordNewChildren(
  trx: Queryable,
  actor: Actor,
  authorityId: string,
  children: NewChild[],
  via: 'form' | 'import',
) {
  const userId = actor.request.user!.id
  const schoolIds = [...new Set(children.flatMap((c) => c.fields.schoolId ?? []))]
  const designated =
    schoolIds.length === 0
      ? []
      : await trx
          .selectFrom('membership')
          .select(['user_id', 'role', 'school_id'])
          .where('school_id', 'in', schoolIds)
          .where('role', 'in', ['designated_teacher', 'designated_person'])
          .execute()
  for (let i = 0; i < children.length; i += BATCH_SIZE) {
    const batch = children.slice(i, i + BATCH_SIZE)
    const placements = batch.flatMap((c) =>
      c.fields.schoolId
        ? [
            {
              child_id: c.id,
              school_id: c.fields.schoolId,
              started_on: actor.today,
              reason: via === 'import' ? 'Imported from a file' : 'Added to the service',
              recorded_by: userId,
            },
          ]
        : [],
    )
    if (placements.length > 0) await trx.insertInto('child_school').values(placements).execute()
    await trx
      .insertInto('child_event')
      .values(
        batch.map((c) => ({
          child_id: c.id,
          kind: 'created',
          occurred_on: actor.today,
          summary: via === 'import' ? 'Record created from an imported file' : 'Record created',
          details: JSON.stringify({ via }),
          recorded_by: userId,
          recorded_at: actor.at,
        })),
      )
      .execute()
    // The record owner and the school's designated people need to see the child.
    await addAccessEntries(
      trx,
      batch.flatMap((c) => [
        ...(c.fields.recordOwnerId
          ? [
              {
                childId: c.id,
                userId: c.fields.recordOwnerId,
                capacity: 'social_worker',
                addedBy: userId,
                at: actor.at,
              },
            ]
          : []),
        ...designated
          .filter((d) => d.school_id === c.fields.schoolId)
          .map((d) => ({
            childId: c.id,
            userId: d.user_id,
            capacity: d.role,
            addedBy: userId,
            at: actor.at,
          })),
      ]),
    )
    const request = actor.request
    await trx
      .insertInto('audit_event')
      .values(
        batch.map((c) => ({
          occurred_at: actor.at,
          user_id: userId,
          acting_role: request.actingRole,
          authority_id: authorityId,
          action: 'child.create',
          outcome: 'success' as const,
          child_id: c.id,
          method: request.method,
          path: request.url.split('?')[0] ?? null,
          ip: request.ip,
          user_agent: request.headers['user-agent']?.slice(0, 500) ?? null,
          request_id: request.id,
          details: JSON.stringify({ via }),
        })),
      )
      .execute()
  }
}

export async function createChild(
  db: Database,
  actor: Actor,
  authorityId: string,
  fields: ChildFields,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('child')
      .values(childRow(authorityId, fields, actor.at))
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordNewChildren(trx, actor, authorityId, [{ id, fields }], 'form')
    return id
  })
}

/** Imports every child or none: the caller has checked every row. */
export async function importChildren(
  db: Database,
  actor: Actor,
  authorityId: string,
  children: ChildFields[],
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const created: NewChild[] = []
    for (let i = 0; i < children.length; i += BATCH_SIZE) {
      const batch = children.slice(i, i + BATCH_SIZE)
      // Ids made here, so each row's history, event and audit rows are tied to it without a lookup.
      const rows = batch.map((fields) => ({ id: randomUUID(), fields }))
      await trx
        .insertInto('child')
        .values(rows.map((r) => ({ id: r.id, ...childRow(authorityId, r.fields, actor.at) })))
        .execute()
      created.push(...rows)
    }
    await recordNewChildren(trx, actor, authorityId, created, 'import')
    await actor.request.audit(
      {
        action: 'children.import',
        outcome: 'success',
        authorityId,
        details: { count: created.length },
      },
      trx,
    )
    return created.length
  })
}

/** The core data the edit form changes (school, placement and owner change through events). */
export type EditableFields = Omit<ChildFields, 'schoolId' | 'placement' | 'recordOwnerId'>

export const EDITABLE_FIELDS = [
  'firstName',
  'lastName',
  'preferredName',
  'dateOfBirth',
  'gender',
  'upn',
  'uln',
  'caseReference',
  'enteredCareOn',
  'emergencyPlacement',
  'legalStatus',
  'senStatus',
  'yearGroupOverride',
] as const satisfies readonly (keyof EditableFields & keyof ChildCore)[]

export type UpdateResult =
  | { kind: 'saved'; changed: string[] }
  | { kind: 'conflict'; current: ChildCore }
  | { kind: 'read-only' }
  | { kind: 'gone' }

/**
 * Saves an edit only if nobody has saved since the form was opened (`expectedVersion`):
 * otherwise hands back what is stored now, for the conflict page. Never overwrites silently.
 */
export async function updateChild(
  db: Database,
  actor: Actor,
  childId: string,
  expectedVersion: number,
  fields: EditableFields,
): Promise<UpdateResult> {
  return db.transaction().execute(async (trx) => {
    const current = await findChildCore(trx, childId, true)
    if (!current) return { kind: 'gone' }
    if (current.status === 'ceased') return { kind: 'read-only' }
    if (current.version !== expectedVersion) return { kind: 'conflict', current }
    const changed = EDITABLE_FIELDS.filter((f) => (current[f] ?? null) !== (fields[f] ?? null))
    if (changed.length === 0) return { kind: 'saved', changed }
    await trx
      .updateTable('child')
      .set({
        first_name: fields.firstName,
        last_name: fields.lastName,
        preferred_name: fields.preferredName,
        date_of_birth: fields.dateOfBirth,
        gender: fields.gender,
        upn: fields.upn,
        uln: fields.uln,
        case_reference: fields.caseReference,
        entered_care_on: fields.enteredCareOn,
        emergency_placement: fields.emergencyPlacement,
        legal_status: fields.legalStatus,
        sen_status: fields.senStatus,
        year_group_override: fields.yearGroupOverride,
        version: expectedVersion + 1,
        updated_at: actor.at,
      })
      .where('id', '=', childId)
      .where('version', '=', expectedVersion)
      .execute()
    await trx
      .insertInto('child_event')
      .values({
        child_id: childId,
        kind: 'updated',
        occurred_on: actor.today,
        summary: 'Core data changed',
        // The names of what changed, never the values: the record shows those.
        details: JSON.stringify({ fields: changed }),
        recorded_by: actor.request.user!.id,
        recorded_at: actor.at,
      })
      .execute()
    await actor.request.audit(
      { action: 'child.update', outcome: 'success', details: { fields: changed } },
      trx,
    )
    return { kind: 'saved', changed }
  })
}
