import type { Queryable } from '../db/connection.ts'
import { rolesFor, type Action } from '../domain/permissions.ts'
import type { Role } from '../domain/roles.ts'
import type { CurrentUser } from './users.ts'

/*
 * Authority scope: the authorities a person's pages reach for an action, and the one a page works
 * in. Every administration page (users, children, schools, settings, forms) scopes by this.
 */

/**
 * The authorities where the user holds a role allowed the action: the only ones they manage
 * (vs_admin for 'admin.users'; vs_admin or auditor for 'admin.audit.read').
 */
export function authoritiesFor(user: Pick<CurrentUser, 'memberships'>, action: Action): string[] {
  const allowed: readonly Role[] = rolesFor(action)
  return [
    ...new Set(user.memberships.filter((m) => allowed.includes(m.role)).map((m) => m.authorityId)),
  ]
}

export interface AuthorityChoice {
  id: string
  name: string
}

export type AuthorityPick =
  | { kind: 'one'; authority: AuthorityChoice }
  | { kind: 'choose'; authorities: AuthorityChoice[] }
  | { kind: 'not-found' }

/**
 * The authority a page works in: the one asked for (which must be one of the user's), or the
 * user's only one. A user of several authorities who has not chosen is asked to choose.
 */
export async function pickAuthority(
  db: Queryable,
  user: CurrentUser,
  action: Action,
  asked: unknown,
): Promise<AuthorityPick> {
  const ids = authoritiesFor(user, action)
  if (ids.length === 0) return { kind: 'not-found' }
  const authorities = await db
    .selectFrom('authority')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .orderBy('name')
    .execute()
  if (asked !== undefined && asked !== '') {
    const found = authorities.find((a) => a.id === asked)
    return found ? { kind: 'one', authority: found } : { kind: 'not-found' }
  }
  if (authorities.length === 1) return { kind: 'one', authority: authorities[0]! }
  return { kind: 'choose', authorities }
}
