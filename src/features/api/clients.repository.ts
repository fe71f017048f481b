import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'

/* The API clients' rows: registered, listed, found by their secret's hash, revoked. */

export interface ApiClientRow {
  id: string
  authorityId: string
  name: string
  scopes: string[]
  secretHint: string
  createdAt: Date
  createdByName: string | null
  revokedAt: Date | null
  lastUsedAt: Date | null
}

export async function insertClient(
  db: Queryable,
  row: {
    authorityId: string
    name: string
    scopes: string[]
    secretHash: string
    secretHint: string
    createdBy: string
    at: Date
  },
): Promise<string> {
  const { id } = await db
    .insertInto('api_client')
    .values({
      authority_id: row.authorityId,
      name: row.name,
      scopes: row.scopes,
      secret_hash: row.secretHash,
      secret_hint: row.secretHint,
      created_by: row.createdBy,
      created_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** An authority's clients, newest first, revoked ones after the active. */
export async function listClients(db: Queryable, authorityId: string): Promise<ApiClientRow[]> {
  const rows = await db
    .selectFrom('api_client as c')
    .leftJoin('app_user as u', 'u.id', 'c.created_by')
    .select([
      'c.id',
      'c.authority_id',
      'c.name',
      'c.scopes',
      'c.secret_hint',
      'c.created_at',
      'u.display_name',
      'c.revoked_at',
      'c.last_used_at',
    ])
    .where('c.authority_id', '=', authorityId)
    .orderBy(sql`c.revoked_at is not null`)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    authorityId: r.authority_id,
    name: r.name,
    scopes: r.scopes,
    secretHint: r.secret_hint,
    createdAt: r.created_at,
    createdByName: r.display_name,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  }))
}

/** One client of the authority, for its pages (undefined when it is another authority's). */
export async function findClient(db: Queryable, authorityId: string, clientId: string) {
  const rows = await listClients(db, authorityId)
  return rows.find((c) => c.id === clientId)
}

export async function findClientByHash(db: Queryable, secretHash: string) {
  return db
    .selectFrom('api_client')
    .select(['id', 'authority_id', 'name', 'scopes', 'revoked_at', 'last_used_at'])
    .where('secret_hash', '=', secretHash)
    .executeTakeFirst()
}

/** Revokes an active client of the authority; undefined when there is none (or it was revoked). */
export async function markRevoked(
  db: Queryable,
  input: { authorityId: string; clientId: string; by: string; at: Date },
) {
  return db
    .updateTable('api_client')
    .set({ revoked_at: input.at, revoked_by: input.by })
    .where('id', '=', input.clientId)
    .where('authority_id', '=', input.authorityId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'name'])
    .executeTakeFirst()
}

/** Notes a call, at most once a minute per client (the list shows "last used"). */
export async function touchLastUsed(db: Queryable, clientId: string, at: Date): Promise<void> {
  await db
    .updateTable('api_client')
    .set({ last_used_at: at })
    .where('id', '=', clientId)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<', new Date(at.getTime() - 60_000)),
      ]),
    )
    .execute()
}
