import type { Queryable } from '../../db/connection.ts'
import type { UserStatus } from '../../db/schema.ts'
import { rolesFor, type Action } from '../../domain/permissions.ts'
import { isRole, type Role } from '../../domain/roles.ts'
import type { CurrentUser } from '../users/users.repository.ts'
import { isUuid } from '../../domain/ids.ts'

/**
 * The authorities an administrator's pages reach: those where the viewer holds a role allowed the
 * action (vs_admin for 'admin.users'; vs_admin or auditor for 'admin.audit.read').
 */
export function authoritiesFor(viewer: CurrentUser, action: Action): string[] {
  const allowed: readonly Role[] = rolesFor(action)
  return [
    ...new Set(
      viewer.memberships.filter((m) => allowed.includes(m.role)).map((m) => m.authorityId),
    ),
  ]
}

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
  /** The viewer's authorities this user belongs to. */
  authorityIds: string[]
}

/**
 * THE scoping rule for every administrator page about one user: the user exists and holds a
 * membership in an authority where the viewer holds a role allowed the action. Anything else is
 * undefined, and callers answer 404 so that a user outside the viewer's authorities, or a made-up
 * id, looks the same: it reveals nothing.
 */
export async function findUserInScope(
  db: Queryable,
  viewer: CurrentUser,
  userId: string,
  action: Action = 'admin.users',
): Promise<ManagedUser | undefined> {
  const authorityIds = authoritiesFor(viewer, action)
  if (!isUuid(userId) || authorityIds.length === 0) return undefined
  const rows = await db
    .selectFrom('app_user as u')
    .innerJoin('membership as m', 'm.user_id', 'u.id')
    .innerJoin('authority as a', 'a.id', 'm.authority_id')
    .leftJoin('school as s', 's.id', 'm.school_id')
    .select([
      'u.id',
      'u.email',
      'u.display_name',
      'u.status',
      'u.mfa_enabled_at',
      'u.last_sign_in_at',
      'u.created_at',
      'm.id as membership_id',
      'm.authority_id',
      'a.name as authority_name',
      'm.role',
      'm.school_id',
      's.name as school_name',
    ])
    .where('u.id', '=', userId)
    .where('m.authority_id', 'in', authorityIds)
    .orderBy('a.name')
    .orderBy('m.role')
    .execute()
  const first = rows[0]
  if (!first) return undefined
  const memberships: ScopedMembership[] = []
  for (const row of rows) {
    if (!isRole(row.role)) continue
    memberships.push({
      id: row.membership_id,
      authorityId: row.authority_id,
      authorityName: row.authority_name,
      role: row.role,
      schoolId: row.school_id,
      schoolName: row.school_name,
    })
  }
  return {
    id: first.id,
    email: first.email,
    displayName: first.display_name,
    status: first.status,
    mfaEnabledAt: first.mfa_enabled_at,
    lastSignInAt: first.last_sign_in_at,
    createdAt: first.created_at,
    memberships,
    authorityIds: [...new Set(rows.map((r) => r.authority_id))],
  }
}
