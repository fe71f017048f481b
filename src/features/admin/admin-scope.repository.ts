import type { Queryable } from '../../db/connection.ts'
import type { UserStatus } from '../../db/schema.ts'
import type { Action } from '../../domain/permissions.ts'
import { isRole, type Role } from '../../domain/roles.ts'
import type { CurrentUser } from '../../shared/users.ts'
import { isUuid } from '../../domain/ids.ts'
import { authoritiesFor } from '../../shared/authority-scope.ts'

export interface ScopedMembership {
  id: string
  authorityId: string
  authorityName: string
  role: Role
  schoolId: string | null
  schoolName: string | null
}

export interface ManagedUser {
  id: string
  email: string
  displayName: string
  status: UserStatus
  mfaEnabledAt: Date | null
  lastSignInAt: Date | null
  createdAt: Date
  /** Only the memberships in the viewer's authorities: roles elsewhere are not theirs to see. */
  memberships: ScopedMembership[]
  /** The viewer's authorities this user belongs to (or is invited to). */
  authorityIds: string[]
  /**
   * Whether they have accepted: a member of one of the viewer's authorities. Until then the
   * administrator sees only what they typed (name and address), status "Invited", and the roles
   * offered, whether or not the address had an account: the account behind it is not theirs to see.
   */
  joined: boolean
  /** When a pending invitation was sent (the latest, if several of the viewer's authorities sent one). */
  invitedAt: Date | null
  /** The roles a pending invitation offers, in the viewer's authorities. */
  roleOffers: ScopedMembership[]
  /**
   * Holds a role in an authority the viewer does not administer. Then the account is not the
   * viewer's alone: they may not deactivate it or reset its two-step verification (ADR 9).
   * Always false for someone who has not joined: an invitation says nothing about elsewhere.
   */
  rolesElsewhere: boolean
}

/**
 * THE scoping rule for every administrator page about one user: the user is, or was, in an
 * authority where the viewer holds a role allowed the action (an `authority_member` row: a role
 * there now, a role there once, or an invitation there). Anything else is undefined, and callers
 * answer 404 so that a user outside the viewer's authorities, or a made-up id, looks the same: it
 * reveals nothing. Someone invited but not yet joined is shown only as the invitation (ADR 9).
 */
export async function findUserInScope(
  db: Queryable,
  viewer: CurrentUser,
  userId: string,
  action: Action = 'admin.users',
): Promise<ManagedUser | undefined> {
  return findUserInAuthorities(db, authoritiesFor(viewer, action), userId)
}

/**
 * The same rule given the authorities already (a service has them from the route, with the
 * actor): the user as these authorities' administrators see them, or undefined.
 */
export async function findUserInAuthorities(
  db: Queryable,
  authorityIds: string[],
  userId: string,
): Promise<ManagedUser | undefined> {
  if (!isUuid(userId) || authorityIds.length === 0) return undefined
  const places = await db
    .selectFrom('authority_member')
    .select(['authority_id', 'invited_name', 'invited_email', 'invited_at', 'joined_at'])
    .where('user_id', '=', userId)
    .where('authority_id', 'in', authorityIds)
    .orderBy('invited_at', 'desc')
    .execute()
  if (places.length === 0) return undefined
  const account = await db
    .selectFrom('app_user')
    .select([
      'id',
      'email',
      'display_name',
      'status',
      'mfa_enabled_at',
      'last_sign_in_at',
      'created_at',
    ])
    .where('id', '=', userId)
    .executeTakeFirst()
  if (!account) return undefined
  const joined = places.some((p) => p.joined_at !== null)
  const pendingIn = places.filter((p) => p.joined_at === null).map((p) => p.authority_id)
  const [memberships, offers, elsewhere] = await Promise.all([
    roleRows(db, 'membership', userId, authorityIds),
    pendingIn.length ? roleRows(db, 'role_offer', userId, pendingIn) : [],
    joined
      ? db
          .selectFrom('membership')
          .select('id')
          .where('user_id', '=', userId)
          .where('authority_id', 'not in', authorityIds)
          .limit(1)
          .executeTakeFirst()
      : undefined,
  ])
  const invitation = places.find((p) => p.joined_at === null)
  const common = {
    id: account.id,
    memberships,
    authorityIds: places.map((p) => p.authority_id),
    joined,
    invitedAt: invitation?.invited_at ?? null,
    roleOffers: offers,
  }
  if (!joined) {
    // Only what the administrator typed: the account's own name, address, sign-ins and
    // two-step verification would say that the address already had an account.
    return {
      ...common,
      email: invitation!.invited_email!,
      displayName: invitation!.invited_name!,
      status: 'invited',
      mfaEnabledAt: null,
      lastSignInAt: null,
      createdAt: invitation!.invited_at!,
      rolesElsewhere: false,
    }
  }
  return {
    ...common,
    email: account.email,
    displayName: account.display_name,
    status: account.status,
    mfaEnabledAt: account.mfa_enabled_at,
    lastSignInAt: account.last_sign_in_at,
    createdAt: account.created_at,
    rolesElsewhere: elsewhere !== undefined,
  }
}

/** Roles held (membership) or offered (role_offer) in the given authorities, by authority and role. */
async function roleRows(
  db: Queryable,
  table: 'membership' | 'role_offer',
  userId: string,
  authorityIds: string[],
): Promise<ScopedMembership[]> {
  // Both tables have the columns read here; typed as one so the query is written once.
  const rows = await db
    .selectFrom(`${table as 'membership'} as m`)
    .innerJoin('authority as a', 'a.id', 'm.authority_id')
    .leftJoin('school as s', 's.id', 'm.school_id')
    .select([
      'm.id',
      'm.authority_id',
      'a.name as authority_name',
      'm.role',
      'm.school_id',
      's.name as school_name',
    ])
    .where('m.user_id', '=', userId)
    .where('m.authority_id', 'in', authorityIds)
    .orderBy('a.name')
    .orderBy('m.role')
    .execute()
  const out: ScopedMembership[] = []
  for (const row of rows) {
    if (!isRole(row.role)) continue
    out.push({
      id: row.id,
      authorityId: row.authority_id,
      authorityName: row.authority_name,
      role: row.role,
      schoolId: row.school_id,
      schoolName: row.school_name,
    })
  }
  return out
}
