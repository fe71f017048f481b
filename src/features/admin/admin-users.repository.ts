import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { UserStatus } from '../../db/schema.ts'
import { isRole, type Role } from '../../domain/roles.ts'

export interface UserListFilter {
  authorityIds: readonly string[]
  /** Part of a name or email address. */
  search?: string
  /** A role held in the authorities, or 'none': members who hold no role there now. */
  role?: Role | 'none'
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
  /** False while their invitation is not accepted: then only what was typed is shown. */
  joined: boolean
  roles: { authorityName: string; role: Role }[]
  /** For someone invited: the roles the invitation offers. */
  offers: { authorityName: string; role: Role }[]
}

/** For LIKE: the search text, with its own % and _ taken literally. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * One page of the people in the given authorities (authority_member: with a role there now, with
 * none left, or invited), by name, with their roles there. Someone who has not accepted an
 * invitation is shown, searched and sorted by the name and address the administrator typed, never
 * the account's own (ADR 9).
 */
export async function listUsersInAuthorities(
  db: Queryable,
  filter: UserListFilter,
): Promise<{ rows: UserListRow[]; total: number }> {
  if (filter.authorityIds.length === 0) return { rows: [], total: 0 }
  const ids = filter.authorityIds
  const places = db
    .selectFrom('authority_member as am')
    .where('am.authority_id', 'in', ids)
    .groupBy('am.user_id')
    .select([
      'am.user_id',
      sql<boolean>`bool_or(am.joined_at is not null)`.as('joined'),
      sql<string | null>`min(am.invited_name)`.as('invited_name'),
      sql<string | null>`min(am.invited_email)`.as('invited_email'),
    ])
  const people = db
    .selectFrom('app_user as u')
    .innerJoin(places.as('am'), 'am.user_id', 'u.id')
    .select([
      'u.id',
      'am.joined',
      sql<string>`case when am.joined then u.display_name else am.invited_name end`.as(
        'displayName',
      ),
      sql<string>`case when am.joined then u.email else am.invited_email end`.as('email'),
      sql<UserStatus>`case when am.joined then u.status else 'invited' end`.as('status'),
      sql<Date | null>`case when am.joined then u.last_sign_in_at end`.as('lastSignInAt'),
    ])
  let base = db.selectFrom(people.as('p'))
  if (filter.role) {
    const role = filter.role
    base = base.where((eb) => {
      const holds = eb
        .selectFrom('membership as m')
        .select(sql.lit(1).as('one'))
        .whereRef('m.user_id', '=', 'p.id')
        .where('m.authority_id', 'in', ids)
      return role === 'none'
        ? eb.and([eb('p.joined', '=', true), eb.not(eb.exists(holds))])
        : eb.exists(holds.where('m.role', '=', role))
    })
  }
  if (filter.search) {
    const pattern = likePattern(filter.search)
    base = base.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['p.displayName']), 'like', pattern),
        eb(eb.fn('lower', ['p.email']), 'like', pattern),
      ]),
    )
  }
  if (filter.status) base = base.where('p.status', '=', filter.status)
  const [users, count] = await Promise.all([
    base
      .select(['p.id', 'p.displayName', 'p.email', 'p.status', 'p.lastSignInAt', 'p.joined'])
      .orderBy((eb) => eb.fn('lower', ['p.displayName']))
      .orderBy('p.id')
      .offset(filter.offset)
      .limit(filter.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  const roleRows = async (table: 'membership' | 'role_offer', userIds: string[]) =>
    userIds.length
      ? db
          // Both tables have the columns read here; typed as one so the query is written once.
          .selectFrom(`${table as 'membership'} as m`)
          .innerJoin('authority as a', 'a.id', 'm.authority_id')
          .select(['m.user_id', 'm.role', 'a.name as authorityName'])
          .where('m.user_id', 'in', userIds)
          .where('m.authority_id', 'in', ids)
          .orderBy('a.name')
          .orderBy('m.role')
          .execute()
      : []
  const [memberships, offers] = await Promise.all([
    roleRows(
      'membership',
      users.filter((u) => u.joined).map((u) => u.id),
    ),
    roleRows(
      'role_offer',
      users.filter((u) => !u.joined).map((u) => u.id),
    ),
  ])
  const of = (rows: typeof memberships, userId: string) =>
    rows
      .filter((m) => m.user_id === userId && isRole(m.role))
      .map((m) => ({ authorityName: m.authorityName, role: m.role as Role }))
  return {
    rows: users.map((u) => ({
      ...u,
      joined: Boolean(u.joined),
      roles: of(memberships, u.id),
      offers: of(offers, u.id),
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

/** The name an administrator signs their invitations with. */
export async function displayNameOf(db: Queryable, userId: string): Promise<string> {
  const row = await db
    .selectFrom('app_user')
    .select('display_name')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()
  return row.display_name
}
