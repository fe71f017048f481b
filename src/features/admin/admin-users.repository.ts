import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { UserStatus } from '../../db/schema.ts'
import { isRole, type Role } from '../../domain/roles.ts'

export interface UserListFilter {
  authorityIds: readonly string[]
  /** Part of a name or email address. */
  search?: string
  role?: Role
  status?: UserStatus
  offset: number
  limit: number
}

export interface UserListRow {
  id: string
  displayName: string
  email: string
  status: UserStatus
  lastSignInAt: Date | null
  roles: { authorityName: string; role: Role }[]
}

/** For LIKE: the search text, with its own % and _ taken literally. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** One page of the users with a membership in the given authorities, by name, with their roles there. */
export async function listUsersInAuthorities(
  db: Queryable,
  filter: UserListFilter,
): Promise<{ rows: UserListRow[]; total: number }> {
  if (filter.authorityIds.length === 0) return { rows: [], total: 0 }
  let base = db.selectFrom('app_user as u').where((eb) =>
    eb.exists(
      eb
        .selectFrom('membership as m')
        .select(sql.lit(1).as('one'))
        .whereRef('m.user_id', '=', 'u.id')
        .where('m.authority_id', 'in', filter.authorityIds)
        .$if(filter.role !== undefined, (qb) => qb.where('m.role', '=', filter.role!)),
    ),
  )
  if (filter.search) {
    const pattern = likePattern(filter.search)
    base = base.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['u.display_name']), 'like', pattern),
        eb(eb.fn('lower', ['u.email']), 'like', pattern),
      ]),
    )
  }
  if (filter.status) base = base.where('u.status', '=', filter.status)
  const [users, count] = await Promise.all([
    base
      .select([
        'u.id',
        'u.display_name as displayName',
        'u.email',
        'u.status',
        'u.last_sign_in_at as lastSignInAt',
      ])
      .orderBy((eb) => eb.fn('lower', ['u.display_name']))
      .orderBy('u.id')
      .offset(filter.offset)
      .limit(filter.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  const ids = users.map((u) => u.id)
  const memberships = ids.length
    ? await db
        .selectFrom('membership as m')
        .innerJoin('authority as a', 'a.id', 'm.authority_id')
        .select(['m.user_id', 'm.role', 'a.name as authorityName'])
        .where('m.user_id', 'in', ids)
        .where('m.authority_id', 'in', filter.authorityIds)
        .orderBy('a.name')
        .orderBy('m.role')
        .execute()
    : []
  return {
    rows: users.map((u) => ({
      ...u,
      roles: memberships
        .filter((m) => m.user_id === u.id && isRole(m.role))
        .map((m) => ({ authorityName: m.authorityName, role: m.role as Role })),
    })),
    total: Number(count.total),
  }
}

export interface AuthorityOption {
  id: string
  name: string
}

export async function listAuthorities(
  db: Queryable,
  ids: readonly string[],
): Promise<AuthorityOption[]> {
  if (ids.length === 0) return []
  return db
    .selectFrom('authority')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .orderBy('name')
    .execute()
}

export interface SchoolOption {
  id: string
  name: string
  authorityId: string
  authorityName: string
}

export async function listSchoolsOfAuthorities(
  db: Queryable,
  ids: readonly string[],
): Promise<SchoolOption[]> {
  if (ids.length === 0) return []
  return db
    .selectFrom('school as s')
    .innerJoin('authority as a', 'a.id', 's.authority_id')
    .select(['s.id', 's.name', 's.authority_id as authorityId', 'a.name as authorityName'])
    .where('s.authority_id', 'in', ids)
    .where('s.open', '=', true)
    .orderBy('a.name')
    .orderBy('s.name')
    .execute()
}

export async function schoolBelongsTo(
  db: Queryable,
  schoolId: string,
  authorityId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('school')
    .select('id')
    .where('id', '=', schoolId)
    .where('authority_id', '=', authorityId)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * The users, other than the one given, who would still administer the authority: active holders
 * of its vs_admin role. Locks those memberships, so two administrators removing each other at
 * the same moment cannot both succeed and leave nobody.
 */
export async function otherActiveAdmins(
  db: Queryable,
  authorityId: string,
  exceptUserId: string,
): Promise<number> {
  const rows = await db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.status'])
    .where('m.authority_id', '=', authorityId)
    .where('m.role', '=', 'vs_admin')
    .forUpdate('m')
    .execute()
  return rows.filter((r) => r.user_id !== exceptUserId && r.status === 'active').length
}
