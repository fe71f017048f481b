import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Database, Queryable } from '../db/connection.ts'
import type { AccessEndReason } from '../db/schema.ts'
import { isRole, isVirtualSchoolRole, type Role } from '../domain/roles.ts'
import type { CurrentUser } from './users.ts'
import { isUuid } from '../domain/ids.ts'
import { executePrepared } from '../db/prepared.ts'

/*
 * Need-to-know, in one place (ADR 8). A person sees a child while everything their access rests
 * on still holds:
 *
 * - Virtual School staff and auditors: a role of theirs in the child's authority (every child
 *   of it, no list needed);
 * - anyone else: a live place on the child's access list, and, at this moment, an active account,
 *   the role of that place (its capacity) in the child's authority, and for school staff
 *   (designated teacher or person) that role at the child's current school;
 * - a colleague at the child's school given pages of a PEP (issue 15): while the PEP's delegation
 *   to them is live (delegated or sent back to the social worker), their account is active and
 *   they are school staff at the child's current school. That reaches the delegated PEP only
 *   (`delegatedPeps`), nothing else of the child's record, and ends with the delegation.
 *
 * The record (findChildForUser, for every child route), the lists of children (home, trays, the
 * children list and its search) and the access list shown on the record all use the SQL below,
 * so what a list shows and what the record opens agree. When a relationship ends, `endAccess`
 * ends the place in the same transaction, so the list keeps who had access, from when to when,
 * and why it ended.
 */

/** Roles whose place on a child's list rests on the child's current school too. */
export const SCHOOL_CAPACITIES: readonly Role[] = ['designated_teacher', 'designated_person']

/** Who is looking: the signed-in user (only an active account is ever loaded as one). */
export type Viewer = Pick<CurrentUser, 'id' | 'memberships'>

/** The authorities whose every child this person sees: Virtual School staff and auditors. */
export function wholeAuthorities(viewer: Pick<CurrentUser, 'memberships'>): string[] {
  return [
    ...new Set(
      viewer.memberships
        .filter((m) => isVirtualSchoolRole(m.role) || m.role === 'auditor')
        .map((m) => m.authorityId),
    ),
  ]
}

/**
 * A place on an access list (the row `alias` of child_access) still rests on what it was given
 * for: the account is active, its holder has the role of the place in the child's authority, and
 * for school staff the role is at the child's current school. Checks nothing about removed_at.
 */
export function placeHolds(alias: string): RawBuilder<SqlBool> {
  const col = (name: string) => sql.ref(`${alias}.${name}`)
  return sql<SqlBool>`exists (
    select 1 from child as held_child
    join membership as held_role on held_role.authority_id = held_child.authority_id
    join app_user as held_user on held_user.id = held_role.user_id
    where held_child.id = ${col('child_id')}
      and held_role.user_id = ${col('user_id')}
      and held_role.role = ${col('capacity')}
      and held_user.status = 'active'
      and (${col('capacity')} not in (${sql.join(SCHOOL_CAPACITIES)})
        or held_role.school_id = held_child.school_id)
  )`
}

/**
 * The delegation rule as SQL: this user holds a live delegation of a PEP of the child whose id is
 * in the given column, and is still school staff (designated teacher or person) at the child's
 * current school, with an active account.
 */
export function delegationHolds(userId: string, childIdRef: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (
    select 1 from pep_delegation as held_delegation
    join pep as held_pep on held_pep.id = held_delegation.pep_id
    join child as held_child on held_child.id = held_pep.child_id
    join membership as held_role on held_role.user_id = held_delegation.delegated_to
      and held_role.authority_id = held_child.authority_id
      and held_role.school_id = held_child.school_id
      and held_role.role in (${sql.join(SCHOOL_CAPACITIES)})
    join app_user as held_user on held_user.id = held_delegation.delegated_to
    where held_pep.child_id = ${sql.ref(childIdRef)}
      and held_delegation.delegated_to = ${userId}
      and held_delegation.status in ('delegated', 'submitted')
      and held_user.status = 'active'
  )`
}

/** A live place (alias) that still holds. */
export function placeIsLive(alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${alias}.removed_at`)} is null and ${placeHolds(alias)})`
}

/**
 * The need-to-know rule as SQL, for any query about children: true when this person may see
 * the child whose id and authority are in the given columns (such as `c.id` and
 * `c.authority_id`, or a task's `t.child_id` and `t.authority_id`).
 */
export function childSeenBy(
  viewer: Viewer,
  child: { id: string; authorityId: string },
): RawBuilder<SqlBool> {
  return childSeenByUser(viewer.id, wholeAuthorities(viewer), child)
}

/** `childSeenBy` for callers that hold the user's id and whole authorities already. */
export function childSeenByUser(
  userId: string,
  wholeAuthorityIds: readonly string[],
  child: { id: string; authorityId: string },
): RawBuilder<SqlBool> {
  const { wholeAuthority, onList } = childSeenByParts(userId, wholeAuthorityIds, child)
  return wholeAuthority ? sql<SqlBool>`(${wholeAuthority} or ${onList})` : onList
}

/**
 * The rule in its two parts, for a list that reads each part by its own index (the children
 * list orders a whole authority by name from an index, and its few others besides):
 * `wholeAuthority` (null for someone with no whole authority) or else `onList`.
 */
export function childSeenByParts(
  userId: string,
  wholeAuthorityIds: readonly string[],
  child: { id: string; authorityId: string },
): { wholeAuthority: RawBuilder<SqlBool> | null; onList: RawBuilder<SqlBool> } {
  // The first line is a superset of the rest (every child with a live place of this person's or a
  // PEP delegated to them), asked once: it lets a list find their children by the child's key
  // instead of testing the rule on every child in the country (the children list's choices read
  // 90,000 children three times at national size). The rule after it still decides.
  const onList = sql<SqlBool>`(${sql.ref(child.id)} = any (array(
    select candidate_place.child_id from child_access as candidate_place
    where candidate_place.user_id = ${userId} and candidate_place.removed_at is null
    union all
    select candidate_pep.child_id from pep_delegation as candidate_delegation
    join pep as candidate_pep on candidate_pep.id = candidate_delegation.pep_id
    where candidate_delegation.delegated_to = ${userId}
      and candidate_delegation.status in ('delegated', 'submitted')
  )) and (exists (
    select 1 from child_access as seen_place
    where seen_place.child_id = ${sql.ref(child.id)}
      and seen_place.user_id = ${userId}
      and ${placeIsLive('seen_place')}
  ) or ${delegationHolds(userId, child.id)}))`
  return {
    wholeAuthority:
      wholeAuthorityIds.length > 0
        ? sql<SqlBool>`${sql.ref(child.authorityId)} in (${sql.join([...wholeAuthorityIds])})`
        : null,
    onList,
  }
}

/**
 * Whether this person reaches the child's record itself, not only a PEP delegated to them
 * (issue 15): their whole authority, or a live place on the child's list. A page links to the
 * record only where this holds.
 */
export function recordSeenByUser(
  userId: string,
  wholeAuthorityIds: readonly string[],
  child: { id: string; authorityId: string },
): RawBuilder<SqlBool> {
  const { wholeAuthority } = childSeenByParts(userId, wholeAuthorityIds, child)
  const onList = sql<SqlBool>`exists (
    select 1 from child_access as record_place
    where record_place.child_id = ${sql.ref(child.id)}
      and record_place.user_id = ${userId}
      and ${placeIsLive('record_place')}
  )`
  return wholeAuthority ? sql<SqlBool>`(${wholeAuthority} or ${onList})` : onList
}

export interface ChildInContext {
  id: string
  authorityId: string
  firstName: string
  lastName: string
  status: 'in_care' | 'ceased'
}

export interface ChildAccessGrant {
  child: ChildInContext
  /** The roles in which this user may see this child. */
  roles: Role[]
  /**
   * Set when the only right to the child is a delegation of pages (issue 15): the PEPs delegated
   * to this person, the only ones they reach, through the PEP's own routes alone.
   */
  delegatedPeps?: string[]
  /**
   * Of those, the PEPs reached only through a colleague's part of the school's pages (issue 15),
   * with the pages of it: the PEP's contents and those pages, nothing else of it.
   */
  partPages?: Record<string, string[]>
}

/**
 * The record's side of the rule: the child and the roles in which this person sees it.
 * Undefined means "no such child" to the caller, whether the child is missing or hidden, so the
 * answer reveals nothing.
 */
export async function findChildForUser(
  db: Database,
  childId: string,
  user: CurrentUser,
): Promise<ChildAccessGrant | undefined> {
  if (!isUuid(childId)) return undefined
  // Every child route asks this: run as a prepared statement (db/prepared.ts), planned once per
  // connection, since planning its join and the place's check cost several times the running.
  const [row] = await executePrepared(
    db,
    db
      .selectFrom('child as c')
      .leftJoin('child_access as ca', (join) =>
        join.onRef('ca.child_id', '=', 'c.id').on('ca.user_id', '=', user.id).on(placeIsLive('ca')),
      )
      .select([
        'c.id',
        'c.authority_id',
        'c.school_id',
        'c.first_name',
        'c.last_name',
        'c.status',
        'ca.capacity',
      ])
      .where('c.id', '=', childId),
  )
  if (!row) return undefined
  // A young person's account is one child (ADR 10): it reaches that child through its young
  // person link alone (one live link per account, kept by a unique index), and no other child
  // through anything, whatever else the account holds.
  if (user.memberships.some((m) => m.role === 'young_person')) {
    if (row.capacity !== 'young_person') return undefined
    return { child: childOf(row), roles: ['young_person'] }
  }
  const roles: Role[] = user.memberships
    .filter(
      (m) =>
        m.authorityId === row.authority_id && (isVirtualSchoolRole(m.role) || m.role === 'auditor'),
    )
    .map((m) => m.role)
  if (row.capacity && isRole(row.capacity) && !roles.includes(row.capacity))
    roles.push(row.capacity)
  if (roles.length === 0) return delegatedGrant(db, row, user)
  return { child: childOf(row), roles }
}

/** A colleague given pages of a PEP reaches that PEP alone, while the delegation holds. */
async function delegatedGrant(
  db: Database,
  row: Parameters<typeof childOf>[0] & { school_id: string | null },
  user: CurrentUser,
): Promise<ChildAccessGrant | undefined> {
  const role = user.memberships.find(
    (m) =>
      m.authorityId === row.authority_id &&
      row.school_id !== null &&
      m.schoolId === row.school_id &&
      SCHOOL_CAPACITIES.includes(m.role),
  )?.role
  if (!role) return undefined
  const rows = await db
    .selectFrom('pep_delegation as d')
    .innerJoin('pep as p', 'p.id', 'd.pep_id')
    .select(['p.id', 'd.part_of as partOf', 'd.pages'])
    .where('p.child_id', '=', row.id)
    .where('d.delegated_to', '=', user.id)
    .where('d.status', 'in', ['delegated', 'submitted'])
    .orderBy('p.id')
    .execute()
  if (rows.length === 0) return undefined
  const peps = [...new Set(rows.map((r) => r.id))]
  const partPages: Record<string, string[]> = {}
  for (const pepId of peps) {
    const held = rows.filter((r) => r.id === pepId)
    if (held.every((r) => r.partOf !== null)) partPages[pepId] = held.flatMap((r) => r.pages ?? [])
  }
  return { child: childOf(row), roles: [role], delegatedPeps: peps, partPages }
}

function childOf(row: {
  id: string
  authority_id: string
  first_name: string
  last_name: string
  status: ChildInContext['status']
}): ChildInContext {
  return {
    id: row.id,
    authorityId: row.authority_id,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
  }
}

/** A change that ends relationships, and so the places on access lists that rest on them. */
export type AccessEnding =
  /** A role taken away: the person's places in that authority that no longer hold. */
  | { reason: 'role_removed'; userId: string; authorityId: string }
  /** An account deactivated: every place of the person's (reactivating does not bring them back). */
  | { reason: 'account_deactivated'; userId: string }
  /** A change of school: the child's school staff who are not staff of the new school. */
  | { reason: 'school_changed'; childId: string }
  /** A new record owner (the child's social worker): the previous owner's place. */
  | { reason: 'owner_changed'; childId: string; userId: string }
  /** A placement ending, or the child leaving care: the carers' places. */
  | { reason: 'placement_ended' | 'left_care'; childId: string }

export interface EndedPlace {
  id: string
  childId: string
  userId: string
  capacity: string
}

/**
 * Ends the places on access lists that a change ends, inside the change's own transaction, so
 * the relationship and the access end together. The rows stay as the list's history: who had
 * access, from when (added_at) to when (removed_at), who made the change and why (end_reason).
 */
export async function endAccess(
  trx: Queryable,
  change: AccessEnding & { at: Date; by: string | null },
): Promise<EndedPlace[]> {
  const reason: AccessEndReason = change.reason
  let query = trx
    .updateTable('child_access as ca')
    .set({ removed_at: change.at, removed_by: change.by, end_reason: reason })
    .where('ca.removed_at', 'is', null)
  switch (change.reason) {
    case 'role_removed':
      query = query
        .where('ca.user_id', '=', change.userId)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('child as c')
              .select('c.id')
              .whereRef('c.id', '=', 'ca.child_id')
              .where('c.authority_id', '=', change.authorityId),
          ),
        )
        .where(sql<SqlBool>`not ${placeHolds('ca')}`)
      break
    case 'account_deactivated':
      query = query.where('ca.user_id', '=', change.userId)
      break
    case 'school_changed':
      query = query
        .where('ca.child_id', '=', change.childId)
        .where('ca.capacity', 'in', SCHOOL_CAPACITIES)
        .where(sql<SqlBool>`not ${placeHolds('ca')}`)
      break
    case 'owner_changed':
      query = query
        .where('ca.child_id', '=', change.childId)
        .where('ca.user_id', '=', change.userId)
      break
    case 'placement_ended':
    case 'left_care':
      query = query.where('ca.child_id', '=', change.childId).where('ca.capacity', '=', 'carer')
      break
  }
  return query
    .returning(['ca.id', 'ca.child_id as childId', 'ca.user_id as userId', 'ca.capacity'])
    .execute()
}

export interface AccessListEntry {
  id: string
  userId: string
  displayName: string
  email: string
  capacity: string
  addedAt: Date
  addedByName: string | null
}

/**
 * A child's places on their access list, with what the list shows of each: who, in what
 * capacity, since when and who put them there (an `AccessListEntry`, from `child_access as ca`).
 * The list's one selection: `listAccessEntries` and the record's read of the list
 * (`children/access-list.repository.ts`, which adds the ended places' columns) both start here,
 * so the list shows the same columns wherever it is read. Picks no place: the caller says which.
 */
export function selectAccessPlaces(db: Queryable, childId: string) {
  return db
    .selectFrom('child_access as ca')
    .innerJoin('app_user as u', 'u.id', 'ca.user_id')
    .leftJoin('app_user as by', 'by.id', 'ca.added_by')
    .select([
      'ca.id',
      'ca.user_id as userId',
      'u.display_name as displayName',
      'u.email',
      'ca.capacity',
      'ca.added_at as addedAt',
      'by.display_name as addedByName',
    ])
    .where('ca.child_id', '=', childId)
}

/** The people on a child's access list now: live places that still hold (ADR 8), by name. */
export async function listAccessEntries(
  db: Queryable,
  childId: string,
): Promise<AccessListEntry[]> {
  return selectAccessPlaces(db, childId)
    .where(placeIsLive('ca'))
    .orderBy('u.display_name')
    .orderBy('ca.id')
    .execute()
}

/**
 * The child who is this young person: their live place on that child's list in the
 * young-person capacity (ADR 10 keeps one per account). Undefined if none holds.
 */
export async function linkedChildOf(db: Queryable, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('child_access as ca')
    .select('ca.child_id as childId')
    .where('ca.user_id', '=', userId)
    .where('ca.capacity', '=', 'young_person')
    .where(placeIsLive('ca'))
    .executeTakeFirst()
  return row?.childId
}
