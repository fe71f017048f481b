import { createHash, randomBytes } from 'node:crypto'
import type { Database } from '../../db/connection.ts'
import { isApiScope, type ApiScope } from '../../domain/api-scopes.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import type { ApiClient } from '../../shared/api/operation.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import {
  findClient,
  findClientByHash,
  insertClient,
  listClients,
  markRevoked,
  touchLastUsed,
  type ApiClientRow,
} from './clients.repository.ts'

/*
 * API clients (issue 22, ADR 12): a Virtual School administrator registers a system for their
 * authority with scopes; its secret is shown once and only its SHA-256 is kept. The secret is 256
 * random bits, so a fast hash is as safe as a slow one here: nobody can guess their way through
 * 2^256 values, and argon2 would only add tens of milliseconds of CPU to every API call. A slow
 * hash protects what people choose (passwords), not random keys.
 */

export { findClient, listClients, type ApiClientRow }

const SECRET_PREFIX = 'opep_'

/** A new secret: a recognisable prefix (secret scanners look for one) and 32 random bytes. */
export function newSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

export interface NewClientInput {
  name: string
  scopes: ApiScope[]
}

/** Registers a client; its secret is in the answer and nowhere else. */
export async function registerClient(
  db: Database,
  actor: PersonActor,
  authorityId: string,
  input: NewClientInput,
): Promise<{ id: string; secret: string }> {
  const secret = newSecret()
  return db.transaction().execute(async (trx) => {
    const id = await insertClient(trx, {
      authorityId,
      name: input.name,
      scopes: input.scopes,
      secretHash: hashSecret(secret),
      secretHint: secret.slice(-4),
      createdBy: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'api.client.create',
      authorityId,
      details: { clientId: id, scopes: input.scopes },
    })
    return { id, secret }
  })
}

/** Revokes a client of the authority: its next call is refused (401). */
export async function revokeClient(
  db: Database,
  actor: PersonActor,
  authorityId: string,
  clientId: string,
): Promise<Result<{ name: string }, 'api-client.not-found'>> {
  return db.transaction().execute(async (trx) => {
    const revoked = await markRevoked(trx, {
      authorityId,
      clientId,
      by: actor.userId,
      at: actor.now,
    })
    if (!revoked) return refuse('api-client.not-found')
    await audit(trx, actor, { action: 'api.client.revoke', authorityId, details: { clientId } })
    return ok({ name: revoked.name })
  })
}

export type Authentication =
  | { kind: 'client'; client: ApiClient }
  | { kind: 'revoked'; clientId: string; authorityId: string }
  | { kind: 'unknown' }

/**
 * Who a bearer secret belongs to, looked up by its SHA-256 (a unique index). The index compares
 * hashes, not the secret, so its timing says nothing about how much of a guess was right.
 */
export async function authenticate(
  db: Database,
  secret: string,
  now: Date,
): Promise<Authentication> {
  if (!secret.startsWith(SECRET_PREFIX) || secret.length > 200) return { kind: 'unknown' }
  const hash = hashSecret(secret)
  const row = await findClientByHash(db, hash)
  if (!row) return { kind: 'unknown' }
  if (row.revoked_at) return { kind: 'revoked', clientId: row.id, authorityId: row.authority_id }
  await touchLastUsed(db, row.id, now)
  return {
    kind: 'client',
    client: {
      id: row.id,
      authorityId: row.authority_id,
      name: row.name,
      scopes: row.scopes.filter(isApiScope),
    },
  }
}
