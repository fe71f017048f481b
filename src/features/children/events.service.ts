import type { Database } from '../../db/connection.ts'
import { audit, type Actor } from '../../shared/actor.ts'
import { formatDate } from '../../views/format.ts'
import type { Queryable } from '../../db/connection.ts'
import { daysBetween, type CalendarDate } from '../../domain/calendar-date.ts'
import { queueWebhookEvent } from '../../shared/webhooks.ts'
import type { Refusal } from '../../shared/result.ts'
import {
  bumpVersion,
  currentSchoolPlacement,
  findOpenSchoolByUrn,
  insertEvent as insertEventRow,
  listPossibleOwners,
} from './history.repository.ts'
import { addAccessEntries } from './access-list.repository.ts'
import { endAccess, SCHOOL_CAPACITIES } from '../../shared/child-access.ts'

/*
 * The events on a child's record (section 10 of the domain brief). Each is one transaction: the
 * change to the child, its history row, the event on the record and the audit event.
 *
 * The rules of each change are checked here, once, for the history pages and the API alike
 * (ADR 7): each change answers with the value or every problem found, each a code with its
 * parameters on the field it concerns. The pages say them in GOV.UK words
 * (`events.messages.ts`), the API as RFC 9457 problem details (`features/api/events.routes.ts`).
 * The checks run in the change's transaction, with the child's row locked.
 */

export type EventCode =
  | 'required'
  | 'school.not-found'
  | 'school.current'
  | 'date.future'
  | 'date.too-early'
  | 'owner.not-found'

/** The fields of the changes: the school (by URN), the dates, the placement, the owner, the reason. */
export type EventField =
  'school' | 'movedOn' | 'placement' | 'changedOn' | 'owner' | 'ceasedOn' | 'reason'

/**
 * One problem with a change. `date.too-early` has `after` (`current-school` or `entered-care`)
 * and `date`, the earliest date allowed.
 */
export interface EventProblem extends Refusal<EventCode> {
  field: EventField
}

export type EventResult<T> = { ok: true; value: T } | { ok: false; problems: EventProblem[] }

/** A possible record owner: a social worker or personal advisor of the child's authority. */
export type PossibleOwner = Awaited<ReturnType<typeof listPossibleOwners>>[number]

/** The owner chosen: on the pages from the list (id and role), through the API by email. */
export type OwnerChoice = { id: string; role: string } | { email: string; role: 'social_worker' }

const problem = (
  field: EventField,
  code: EventCode,
  params?: EventProblem['params'],
): EventProblem => (params === undefined ? { field, code } : { field, code, params })

/** A date that has happened (by `today`), on or after `earliest`. */
function pastDateProblems(
  field: EventField,
  today: CalendarDate,
  value: CalendarDate | undefined,
  earliest?: { date: CalendarDate; after: 'current-school' | 'entered-care' },
): EventProblem[] {
  if (value === undefined) return []
  if (daysBetween(today, value) > 0) return [problem(field, 'date.future')]
  if (earliest && daysBetween(earliest.date, value) < 0)
    return [problem(field, 'date.too-early', { after: earliest.after, date: earliest.date })]
  return []
}

const requiredProblems = (field: EventField, value: string | undefined): EventProblem[] =>
  value !== undefined && !value.trim() ? [problem(field, 'required')] : []

/** The child's row, locked for the change when read in its transaction. */
async function childFacts(db: Queryable, childId: string, lock: boolean) {
  const query = db
    .selectFrom('child')
    .select(['authority_id', 'entered_care_on', 'record_owner_id'])
    .where('id', '=', childId)
  return (lock ? query.forUpdate() : query).executeTakeFirstOrThrow()
}

/**
 * The checks of a change of school. A field left out (the form could not read it) is not
 * checked, so a form shows every problem at once.
 */
async function schoolChangeChecks(
  db: Queryable,
  today: CalendarDate,
  input: { childId: string; urn?: string; movedOn?: CalendarDate },
  lock = false,
) {
  const child = await childFacts(db, input.childId, lock)
  const [school, current] = await Promise.all([
    input.urn === undefined
      ? Promise.resolve(undefined)
      : findOpenSchoolByUrn(db, child.authority_id, input.urn),
    currentSchoolPlacement(db, input.childId),
  ])
  const problems: EventProblem[] = []
  if (input.urn !== undefined && !school) problems.push(problem('school', 'school.not-found'))
  else if (school && current?.school_id === school.id)
    problems.push(problem('school', 'school.current'))
  problems.push(
    ...pastDateProblems(
      'movedOn',
      today,
      input.movedOn,
      current ? { date: current.started_on, after: 'current-school' } : undefined,
    ),
  )
  return { problems, school, current }
}

async function placementChangeChecks(
  db: Queryable,
  today: CalendarDate,
  input: { childId: string; placement?: string; changedOn?: CalendarDate },
  lock = false,
) {
  const child = await childFacts(db, input.childId, lock)
  return [
    ...requiredProblems('placement', input.placement),
    ...pastDateProblems('changedOn', today, input.changedOn, {
      date: child.entered_care_on,
      after: 'entered-care',
    }),
  ]
}

async function ceaseCareChecks(
  db: Queryable,
  today: CalendarDate,
  input: { childId: string; ceasedOn?: CalendarDate; reason?: string },
  lock = false,
) {
  const child = await childFacts(db, input.childId, lock)
  return [
    ...pastDateProblems('ceasedOn', today, input.ceasedOn, {
      date: child.entered_care_on,
      after: 'entered-care',
    }),
    ...requiredProblems('reason', input.reason),
  ]
}

/** Every problem a change would be refused for, without changing anything (a form's re-show). */
export async function checkEvent(
  db: Queryable,
  actor: Pick<Actor, 'today'>,
  input:
    | { kind: 'school_change'; childId: string; urn?: string; movedOn?: CalendarDate }
    | { kind: 'placement_change'; childId: string; placement?: string; changedOn?: CalendarDate }
    | { kind: 'ceased'; childId: string; ceasedOn?: CalendarDate; reason?: string },
): Promise<EventProblem[]> {
  switch (input.kind) {
    case 'school_change':
      return (await schoolChangeChecks(db, actor.today, input)).problems
    case 'placement_change':
      return placementChangeChecks(db, actor.today, input)
    case 'ceased':
      return ceaseCareChecks(db, actor.today, input)
  }
}

/** The owner chosen, if they are one of the child's authority's possible owners. */
function findOwner(owners: PossibleOwner[], choice: OwnerChoice): PossibleOwner | undefined {
  return 'email' in choice
    ? owners.find(
        (o) =>
          o.role === choice.role && o.email.toLowerCase() === choice.email.trim().toLowerCase(),
      )
    : owners.find((o) => o.id === choice.id && o.role === choice.role)
}

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
  change: { childId: string; urn: string; movedOn: CalendarDate; reason: string },
): Promise<EventResult<{ school: { id: string; name: string; urn: string | null } }>> {
  const userId = actor.userId
  return db.transaction().execute(async (trx) => {
    const checked = await schoolChangeChecks(trx, actor.today, change, true)
    const { current, school } = checked
    if (checked.problems.length > 0 || !school) return { ok: false, problems: checked.problems }
    const input = { ...change, school, reason: change.reason.trim() }
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
    return { ok: true, value: { school } }
  })
}

/** A change of care placement: recorded on the record, and the carer's access ends; no new PEP is needed. */
export async function changePlacement(
  db: Database,
  actor: Actor,
  change: { childId: string; placement: string; changedOn: CalendarDate },
): Promise<EventResult<void>> {
  const userId = actor.userId
  return db.transaction().execute(async (trx) => {
    const problems = await placementChangeChecks(trx, actor.today, change, true)
    if (problems.length > 0) return { ok: false, problems }
    const input = { ...change, placement: change.placement.trim() }
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
    return { ok: true, value: undefined }
  })
}

/**
 * A new record owner, who is put on the access list if they are not on it; the previous owner's
 * access ends.
 */
export async function changeOwner(
  db: Database,
  actor: Actor,
  change: { childId: string; owner: OwnerChoice },
): Promise<EventResult<{ owner: PossibleOwner }>> {
  const userId = actor.userId
  return db.transaction().execute(async (trx) => {
    const previous = await childFacts(trx, change.childId, true)
    const owner = findOwner(await listPossibleOwners(trx, previous.authority_id), change.owner)
    if (!owner) return { ok: false, problems: [problem('owner', 'owner.not-found')] }
    const input = { childId: change.childId, owner }
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
    return { ok: true, value: { owner } }
  })
}

/**
 * The child ceases to be in care: the record stays, read-only for those who keep access, the
 * carer's access ends, and no further PEPs are started.
 */
export async function ceaseCare(
  db: Database,
  actor: Actor,
  change: { childId: string; ceasedOn: CalendarDate; reason: string },
): Promise<EventResult<void>> {
  const userId = actor.userId
  return db.transaction().execute(async (trx) => {
    const problems = await ceaseCareChecks(trx, actor.today, change, true)
    if (problems.length > 0) return { ok: false, problems }
    const input = { ...change, reason: change.reason.trim() }
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
    return { ok: true, value: undefined }
  })
}

/** The authority's possible record owners, for the page's choice (the API chooses by email). */
export { listPossibleOwners } from './history.repository.ts'
