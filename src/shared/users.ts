import type { Queryable } from '../db/connection.ts'
import { isRole, type Role } from '../domain/roles.ts'

export interface Membership {
  authorityId: string
  authorityName: string
  role: Role
  schoolId: string | null
}

export interface CurrentUser {
  id: string
  email: string
  displayName: string
  memberships: Membership[]
}

export async function findUserForSignIn(db: Queryable, email: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'email', 'password_hash', 'status'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst()
}

/** The signed-in user with every authority they work in; undefined when not found or deactivated. */
export async function findCurrentUser(
  db: Queryable,
  userId: string,
): Promise<CurrentUser | undefined> {
  const rows = await db
    .selectFrom('app_user as u')
    .leftJoin('membership as m', 'm.user_id', 'u.id')
    .leftJoin('authority as a', 'a.id', 'm.authority_id')
    .select([
      'u.id',
      'u.email',
      'u.display_name',
      'u.status',
      'm.authority_id',
      'm.role',
      'm.school_id',
      'a.name as authority_name',
    ])
    .where('u.id', '=', userId)
    .orderBy('a.name')
    .orderBy('m.role')
    .execute()
  const first = rows[0]
  if (!first || first.status !== 'active') return undefined
  const memberships: Membership[] = []
  for (const row of rows) {
    if (row.authority_id && row.authority_name && isRole(row.role)) {
      memberships.push({
        authorityId: row.authority_id,
        authorityName: row.authority_name,
        role: row.role,
        schoolId: row.school_id,
      })
    }
  }
  return { id: first.id, email: first.email, displayName: first.display_name, memberships }
}
