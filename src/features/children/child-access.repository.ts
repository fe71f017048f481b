import type { Database } from '../../db/connection.ts'
import { isRole, isVirtualSchoolRole, type Role } from '../../domain/roles.ts'
import type { CurrentUser } from '../users/users.repository.ts'
import { isUuid } from '../../domain/ids.ts'

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
}

/**
 * The one need-to-know rule: Virtual School staff (and auditors) of the child's authority see
 * it; anyone else only while on its access list. Undefined means "no such child" to the
 * caller, whether the child is missing or hidden, so the answer reveals nothing.
 */
export async function findChildForUser(
  db: Database,
  childId: string,
  user: CurrentUser,
): Promise<ChildAccessGrant | undefined> {
  if (!isUuid(childId)) return undefined
  const row = await db
    .selectFrom('child as c')
    .leftJoin('child_access as ca', (join) =>
      join
        .onRef('ca.child_id', '=', 'c.id')
        .on('ca.user_id', '=', user.id)
        .on('ca.removed_at', 'is', null),
    )
    .select(['c.id', 'c.authority_id', 'c.first_name', 'c.last_name', 'c.status', 'ca.capacity'])
    .where('c.id', '=', childId)
    .executeTakeFirst()
  if (!row) return undefined
  const roles: Role[] = user.memberships
    .filter(
      (m) =>
        m.authorityId === row.authority_id && (isVirtualSchoolRole(m.role) || m.role === 'auditor'),
    )
    .map((m) => m.role)
  if (row.capacity && isRole(row.capacity) && !roles.includes(row.capacity))
    roles.push(row.capacity)
  if (roles.length === 0) return undefined
  return {
    child: {
      id: row.id,
      authorityId: row.authority_id,
      firstName: row.first_name,
      lastName: row.last_name,
      status: row.status,
    },
    roles,
  }
}
