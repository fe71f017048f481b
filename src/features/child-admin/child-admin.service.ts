import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Database, Queryable } from '../../db/connection.ts'
import type { ChildFields } from '../../domain/child-validation.ts'
import type { Circumstance } from '../../domain/education-circumstance.ts'
import { recordImportedCircumstances } from '../children/circumstances.service.ts'
import { audit, type Actor, type PersonActor } from '../../shared/actor.ts'
import {
  childRow,
  editableColumns,
  findChildCore,
  type ChildCore,
} from './child-admin.repository.ts'

/*
 * Adding children (one by one or from a file) and editing their core data. Each is one
 * transaction: the child rows, their first school history row, the 'created' or 'updated'
 * event on the record, their access list entries and the audit events.
 */

export const BATCH_SIZE = 1000

interface NewChild {
  id: string
  fields: ChildFields
}

/**
 * Inserts a batch of children with one array parameter per column (`unnest`), so a batch of
 * 1,000 is one statement with 19 parameters rather than 19,000.
 */
async function insertChildren(trx: Queryable, authorityId: string, batch: NewChild[], at: Date) {
  const column = <T>(pick: (f: ChildFields) => T) => batch.map((c) => pick(c.fields))
  await sql`
    insert into child (
      id, first_name, last_name, preferred_name, date_of_birth, gender, upn, uln,
      case_reference, entered_care_on, emergency_placement, legal_status, placement, school_id,
      sen_status, year_group_override, record_owner_id, authority_id, created_at, updated_at
    )
    select u.*, ${authorityId}::uuid, ${at}::timestamptz, ${at}::timestamptz
    from unnest(
      ${batch.map((c) => c.id)}::uuid[],
      ${column((f) => f.firstName)}::text[],
      ${column((f) => f.lastName)}::text[],
      ${column((f) => f.preferredName)}::text[],
      ${column((f) => f.dateOfBirth)}::date[],
      ${column((f) => f.gender)}::text[],
      ${column((f) => f.upn)}::text[],
      ${column((f) => f.uln)}::text[],
      ${column((f) => f.caseReference)}::text[],
      ${column((f) => f.enteredCareOn)}::date[],
      ${column((f) => f.emergencyPlacement)}::boolean[],
      ${column((f) => f.legalStatus)}::text[],
      ${column((f) => f.placement)}::text[],
      ${column((f) => f.schoolId)}::uuid[],
      ${column((f) => f.senStatus)}::text[],
      ${column((f) => f.yearGroupOverride)}::text[],
      ${column((f) => f.recordOwnerId)}::uuid[]
    ) as u(id, first_name, last_name, preferred_name, date_of_birth, gender, upn, uln,
      case_reference, entered_care_on, emergency_placement, legal_status, placement, school_id,
      sen_status, year_group_override, record_owner_id)
  `.execute(trx)
}

/**
 * Writes everything that goes with new children, batch by batch and set-based from the rows just
 * inserted: the first school history row, the 'created' event, the access list (record owner, the
 * school's designated people) and one audit event per child.
 */
async function recordNewChildren(
  trx: Queryable,
  actor: Actor,
  authorityId: string,
  ids: string[],
  via: 'form' | 'import',
) {
  const userId = actor.userId
  const origin = actor.origin
  const reason = via === 'import' ? 'Imported from a file' : 'Added to the service'
  const summary = via === 'import' ? 'Record created from an imported file' : 'Record created'
  const details = JSON.stringify({ via })
  const userAgent = origin?.userAgent?.slice(0, 500) ?? null
  for (let i = 0; i < ids.length; i += BATCH_SIZE) {
    const batch = ids.slice(i, i + BATCH_SIZE)
    await sql`
      insert into child_school (child_id, school_id, started_on, reason, recorded_by)
      select id, school_id, ${actor.today}::date, ${reason}, ${userId}::uuid
      from child where id = any(${batch}::uuid[]) and school_id is not null
    `.execute(trx)
    await sql`
      insert into child_event (child_id, kind, occurred_on, summary, details, recorded_by, recorded_at)
      select id, 'created', ${actor.today}::date, ${summary}, ${details}::jsonb, ${userId}::uuid,
        ${actor.now}::timestamptz
      from child where id = any(${batch}::uuid[])
    `.execute(trx)
    await sql`
      insert into child_access (child_id, user_id, capacity, added_by, added_at)
      select c.id, c.record_owner_id, 'social_worker', ${userId}::uuid, ${actor.now}::timestamptz
      from child c where c.id = any(${batch}::uuid[]) and c.record_owner_id is not null
      union
      select c.id, m.user_id, m.role, ${userId}::uuid, ${actor.now}::timestamptz
      from child c join membership m on m.school_id = c.school_id
      where c.id = any(${batch}::uuid[]) and m.role in ('designated_teacher', 'designated_person')
        and (c.record_owner_id is null or m.user_id <> c.record_owner_id)
      on conflict (child_id, user_id) where removed_at is null do nothing
    `.execute(trx)
    await sql`
      insert into audit_event (occurred_at, user_id, api_client_id, acting_role, authority_id,
        action, outcome, child_id, method, path, ip, user_agent, request_id, details)
      select ${actor.now}::timestamptz, ${userId}::uuid, ${actor.clientId ?? null}::uuid,
        ${actor.role}, ${authorityId}::uuid,
        'child.create', 'success', id, ${origin?.method ?? null}, ${origin?.path ?? null},
        ${origin?.ip ?? null}, ${userAgent}, ${origin?.requestId ?? null}, ${details}::jsonb
      from unnest(${batch}::uuid[]) as id
    `.execute(trx)
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
      .values(childRow(authorityId, fields, actor.now))
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordNewChildren(trx, actor, authorityId, [id], 'form')
    return id
  })
}

/**
 * Imports every child or none, with the education circumstances the file gives for each: the
 * caller has checked every row.
 */
export async function importChildren(
  db: Database,
  actor: PersonActor,
  authorityId: string,
  children: (ChildFields & { circumstances?: readonly Circumstance[] })[],
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const created: NewChild[] = []
    for (let i = 0; i < children.length; i += BATCH_SIZE) {
      const batch = children.slice(i, i + BATCH_SIZE)
      // Ids made here, so each row's history, event and audit rows are tied to it without a lookup.
      const rows = batch.map((fields) => ({ id: randomUUID(), fields }))
      await insertChildren(trx, authorityId, rows, actor.now)
      created.push(...rows)
    }
    await recordNewChildren(
      trx,
      actor,
      authorityId,
      created.map((c) => c.id),
      'import',
    )
    const circumstances = created.flatMap((c, i) =>
      (children[i]!.circumstances ?? []).map((circumstance) => ({ childId: c.id, circumstance })),
    )
    await recordImportedCircumstances(trx, actor, authorityId, circumstances)
    await audit(trx, actor, {
      action: 'children.import',
      authorityId,
      details: { count: created.length, circumstances: circumstances.length },
    })
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
        ...editableColumns(fields),
        version: expectedVersion + 1,
        updated_at: actor.now,
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
        recorded_by: actor.userId,
        recorded_at: actor.now,
      })
      .execute()
    await audit(trx, actor, {
      action: 'child.update',
      childId,
      authorityId: current.authorityId,
      details: { fields: changed },
    })
    return { kind: 'saved', changed }
  })
}

/** The reads the API (features/api) validates a child with, as the pages do (ADR 7). */
export { listOpenSchools, listSocialWorkers } from './child-admin.repository.ts'
