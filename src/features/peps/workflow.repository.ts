import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import { executePrepared } from '../../db/prepared.ts'
import { anyOf } from '../../db/unnest.ts'
import type { DelegationStatus } from '../../db/schema.ts'
import { placeIsLive, SCHOOL_CAPACITIES } from '../../shared/child-access.ts'

/* Queries for a PEP's life: its delegation, its events, the school's teacher, the settings. */

export interface DelegationRow {
  id: string
  delegatedTo: string
  delegatedToName: string
  sections: string[]
  /** The pages chosen (issue 15); null when every page of its sections went. */
  pages: string[] | null
  dueOn: string
  status: DelegationStatus
  /** The parts its holder passed to colleagues, live now (issue 15), by holder's name. */
  parts: DelegationPart[]
}

/** A colleague's part of the school's delegation: its own pages, its own holder. */
export interface DelegationPart {
  id: string
  delegatedTo: string
  delegatedToName: string
  pages: string[]
}

/** The live delegation of the school's part (delegated or submitted), with its live parts. */
export async function liveDelegation(
  db: Queryable,
  pepId: string,
): Promise<DelegationRow | undefined> {
  // Prepared, as the PEP's other reads on every PEP page (peps.repository.ts, findPepOfChild).
  const [main] = await executePrepared(
    db,
    db
      .selectFrom('pep_delegation as d')
      .innerJoin('app_user as u', 'u.id', 'd.delegated_to')
      .select([
        'd.id',
        'd.delegated_to as delegatedTo',
        'u.display_name as delegatedToName',
        'd.sections',
        'd.pages',
        'd.due_on as dueOn',
        'd.status',
      ])
      .where('d.pep_id', '=', pepId)
      .where('d.status', 'in', ['delegated', 'submitted'])
      .where('d.part_of', 'is', null),
  )
  return main && { ...main, parts: await livePartsOf(db, main.id) }
}

/** The live parts of a delegation, by their holders' names. */
export async function livePartsOf(db: Queryable, delegationId: string): Promise<DelegationPart[]> {
  const rows = await executePrepared(
    db,
    db
      .selectFrom('pep_delegation as d')
      .innerJoin('app_user as u', 'u.id', 'd.delegated_to')
      .select([
        'd.id',
        'd.delegated_to as delegatedTo',
        'u.display_name as delegatedToName',
        'd.pages',
      ])
      .where('d.part_of', '=', delegationId)
      .where('d.status', '=', 'delegated')
      .orderBy('u.display_name')
      .orderBy('d.id'),
  )
  return rows.map((r) => ({ ...r, pages: r.pages ?? [] }))
}

/** Gives a colleague pages of a delegation: a new part, or more pages of the part they hold. */
export async function givePart(
  db: Queryable,
  part: { of: DelegationRow; pepId: string; to: string; by: string; pages: string[]; at: Date },
): Promise<{ added: boolean }> {
  const held = part.of.parts.find((p) => p.delegatedTo === part.to)
  if (held) {
    await db
      .updateTable('pep_delegation')
      .set({ pages: JSON.stringify([...held.pages, ...part.pages]) })
      .where('id', '=', held.id)
      .execute()
    return { added: true }
  }
  await db
    .insertInto('pep_delegation')
    .values({
      pep_id: part.pepId,
      delegated_to: part.to,
      delegated_by: part.by,
      sections: JSON.stringify(part.of.sections),
      pages: JSON.stringify(part.pages),
      due_on: part.of.dueOn,
      status: 'delegated',
      created_at: part.at,
      part_of: part.of.id,
    })
    .execute()
  return { added: false }
}

/** Ends the live parts of a delegation (all, or one), answering whose they were. */
export async function endParts(
  db: Queryable,
  end: { of: string; partId?: string; status: 'retracted' | 'done'; at: Date },
): Promise<{ id: string; delegatedTo: string; pages: string[] }[]> {
  let query = db
    .updateTable('pep_delegation')
    .set({ status: end.status, ended_at: end.at })
    .where('part_of', '=', end.of)
    .where('status', '=', 'delegated')
  if (end.partId) query = query.where('id', '=', end.partId)
  const rows = await query.returning(['id', 'delegated_to as delegatedTo', 'pages']).execute()
  return rows.map((r) => ({ ...r, pages: r.pages ?? [] })).sort((a, b) => a.id.localeCompare(b.id))
}

/** The last delegation that ended as done (the contribution was accepted), to reactivate. */
export async function lastDoneDelegation(db: Queryable, pepId: string) {
  return db
    .selectFrom('pep_delegation')
    .select(['id', 'delegated_to as delegatedTo', 'sections', 'due_on as dueOn'])
    .where('pep_id', '=', pepId)
    .where('status', '=', 'done')
    .where('part_of', 'is', null)
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
    /** The pages chosen, or null for every page of the sections. */
    pages: string[] | null
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
      pages: delegation.pages === null ? null : JSON.stringify(delegation.pages),
      due_on: delegation.dueOn,
      status: 'delegated',
      created_at: delegation.at,
    })
    .execute()
}

/**
 * Everyone on the staff of the child's current school (a designated teacher's or person's role
 * there, an active account): whom pages of a PEP can be delegated to (issue 15). Those on the
 * child's list (whose place holds) first, newest first, then the rest by name.
 */
export async function schoolStaff(db: Queryable, childId: string) {
  const rows = await db
    .selectFrom('child as c')
    .innerJoin('membership as m', (join) =>
      join.onRef('m.authority_id', '=', 'c.authority_id').onRef('m.school_id', '=', 'c.school_id'),
    )
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .leftJoin('child_access as a', (join) =>
      join
        .onRef('a.child_id', '=', 'c.id')
        .onRef('a.user_id', '=', 'u.id')
        .onRef('a.capacity', '=', 'm.role')
        .on(placeIsLive('a')),
    )
    .select([
      'u.id',
      'u.display_name as name',
      'u.email',
      'm.role as capacity',
      'a.added_at as addedAt',
    ])
    .where('c.id', '=', childId)
    .where('m.role', 'in', SCHOOL_CAPACITIES)
    .where('u.status', '=', 'active')
    .orderBy(sql`a.added_at is null`)
    .orderBy('a.added_at', 'desc')
    .orderBy('u.display_name')
    .orderBy('u.id')
    .execute()
  // One row a person (someone with both school roles is offered once).
  const seen = new Set<string>()
  return rows
    .filter((r) => !seen.has(r.id) && seen.add(r.id))
    .map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      capacity: r.capacity,
      onList: r.addedAt !== null,
    }))
}

export async function schoolContact(db: Queryable, childId: string) {
  // Prepared: a PEP's contents asks it on every view, and planning the live place's rule took
  // 0.64 ms against 0.07 to run it (national data, bench/page-statements.ts).
  const [row] = await executePrepared(
    db,
    db
      .selectFrom('child_access as a')
      .innerJoin('app_user as u', 'u.id', 'a.user_id')
      .select(['u.id', 'u.display_name as name', 'u.email'])
      .where('a.child_id', '=', childId)
      .where(placeIsLive('a'))
      .where('a.capacity', 'in', SCHOOL_CAPACITIES)
      .orderBy('a.added_at', 'desc')
      .limit(sql.lit(1)),
  )
  return row
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

/**
 * The social worker of each of many children at once, chosen as
 * `socialWorkerOf` chooses: the record's owner while they hold a live place on the child, else
 * the social worker or personal adviser added last. Children with neither are left out. One
 * statement, the children's ids sent as one array.
 */
export async function socialWorkersOf(
  db: Queryable,
  childIds: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  if (childIds.length === 0) return found
  const rows = await db
    .selectFrom('child_access as a')
    .innerJoin('child as c', 'c.id', 'a.child_id')
    .innerJoin('app_user as u', 'u.id', 'a.user_id')
    .distinctOn('a.child_id')
    .select(['a.child_id as childId', 'u.id as userId'])
    .where('a.child_id', '=', anyOf(childIds))
    .where(placeIsLive('a'))
    .where((eb) =>
      eb.or([
        eb('a.user_id', '=', eb.ref('c.record_owner_id')),
        eb('a.capacity', 'in', ['social_worker', 'personal_advisor']),
      ]),
    )
    .orderBy('a.child_id')
    .orderBy(sql`coalesce(a.user_id = c.record_owner_id, false)`, 'desc')
    .orderBy('a.added_at', 'desc')
    .orderBy('u.id')
    .execute()
  for (const r of rows) found.set(r.childId, r.userId)
  return found
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
  return executePrepared(
    db,
    db
      .selectFrom('pep_event as e')
      .leftJoin('app_user as u', 'u.id', 'e.by_user')
      .select(['e.kind', 'e.at', 'e.comments', 'e.details', 'u.display_name as byName'])
      .where('e.pep_id', '=', pepId)
      .orderBy('e.at', 'desc'),
  )
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
