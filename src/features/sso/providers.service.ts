import { randomUUID } from 'node:crypto'
import type { Database } from '../../db/connection.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { openSecret, sealSecret, sealedKeyId, type MfaKeyring } from '../../shared/secrets.ts'
import { CLIENT_SECRET_PURPOSE } from './oidc.client.ts'
import type { ProviderInput } from './providers.form.ts'
import {
  deleteProvider,
  domainsTakenElsewhere,
  findProvider,
  insertProvider,
  accountsOnFirstSignIn,
  passwordsAllowed,
  saveSignInSettings,
  updateProvider,
} from './sso.repository.ts'

/*
 * Changing an authority's single sign-on (ADR 14): each change one transaction with its audit
 * event (ADR 7). The client secret is sealed under MFA_ENCRYPTION_KEYS, bound to the provider's
 * id, and never written to the audit trail.
 */

export { CLIENT_SECRET_PURPOSE }

export type ProviderRefusal = 'sso.domains.taken' | 'sso.provider.not-found'

export async function addProvider(
  db: Database,
  actor: PersonActor,
  input: { authorityId: string; keyring: MfaKeyring } & ProviderInput,
): Promise<Result<{ providerId: string }, ProviderRefusal>> {
  return db.transaction().execute(async (trx) => {
    const taken = await domainsTakenElsewhere(trx, input.domains, null)
    if (taken.length > 0) return refuse('sso.domains.taken', { domains: taken.join(', ') })
    const id = randomUUID()
    await insertProvider(trx, {
      id,
      authorityId: input.authorityId,
      name: input.name,
      issuer: input.issuer,
      clientId: input.clientId,
      domains: input.domains,
      clientSecretSealed: sealSecret(input.keyring, id, input.clientSecret, CLIENT_SECRET_PURPOSE),
      now: actor.now,
      by: actor.userId,
    })
    await audit(trx, actor, {
      action: 'authority.sso.provider-added',
      authorityId: input.authorityId,
      details: { providerId: id, name: input.name, issuer: input.issuer, domains: input.domains },
    })
    return ok({ providerId: id })
  })
}

export async function changeProvider(
  db: Database,
  actor: PersonActor,
  input: { authorityId: string; providerId: string; keyring: MfaKeyring } & ProviderInput,
): Promise<Result<null, ProviderRefusal>> {
  return db.transaction().execute(async (trx) => {
    const before = await findProvider(trx, input.providerId)
    if (!before || before.authorityId !== input.authorityId) return refuse('sso.provider.not-found')
    const taken = await domainsTakenElsewhere(trx, input.domains, input.providerId)
    if (taken.length > 0) return refuse('sso.domains.taken', { domains: taken.join(', ') })
    await updateProvider(trx, input.providerId, {
      name: input.name,
      issuer: input.issuer,
      clientId: input.clientId,
      domains: input.domains,
      ...(input.clientSecret
        ? {
            clientSecretSealed: sealSecret(
              input.keyring,
              input.providerId,
              input.clientSecret,
              CLIENT_SECRET_PURPOSE,
            ),
          }
        : {}),
      now: actor.now,
      by: actor.userId,
    })
    await audit(trx, actor, {
      action: 'authority.sso.provider-changed',
      authorityId: input.authorityId,
      details: {
        providerId: input.providerId,
        before: {
          name: before.name,
          issuer: before.issuer,
          clientId: before.clientId,
          domains: before.domains,
        },
        after: {
          name: input.name,
          issuer: input.issuer,
          clientId: input.clientId,
          domains: input.domains,
        },
        secretChanged: input.clientSecret !== '',
      },
    })
    return ok(null)
  })
}

export async function removeProvider(
  db: Database,
  actor: PersonActor,
  input: { authorityId: string; providerId: string },
): Promise<Result<null, ProviderRefusal>> {
  return db.transaction().execute(async (trx) => {
    const before = await findProvider(trx, input.providerId)
    if (!before || before.authorityId !== input.authorityId) return refuse('sso.provider.not-found')
    await deleteProvider(trx, input.providerId)
    await audit(trx, actor, {
      action: 'authority.sso.provider-removed',
      authorityId: input.authorityId,
      details: {
        providerId: before.id,
        name: before.name,
        issuer: before.issuer,
        domains: before.domains,
      },
    })
    return ok(null)
  })
}

export async function setPasswordsAllowed(
  db: Database,
  actor: PersonActor,
  input: { authorityId: string; allowed: boolean; accountsOnFirstSignIn?: boolean },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await passwordsAllowed(trx, input.authorityId)
    const accountsBefore =
      input.accountsOnFirstSignIn === undefined
        ? undefined
        : await accountsOnFirstSignIn(trx, input.authorityId)
    const accountsChanged =
      input.accountsOnFirstSignIn !== undefined && accountsBefore !== input.accountsOnFirstSignIn
    await saveSignInSettings(
      trx,
      input.authorityId,
      {
        passwordsAllowed: input.allowed,
        ...(accountsChanged ? { accountsOnFirstSignIn: input.accountsOnFirstSignIn } : {}),
      },
      actor.now,
      actor.userId,
    )
    await audit(trx, actor, {
      action: 'authority.sso.passwords-changed',
      authorityId: input.authorityId,
      details: { before, after: input.allowed },
    })
    if (!accountsChanged) return
    await audit(trx, actor, {
      action: 'authority.sso.accounts-changed',
      authorityId: input.authorityId,
      details: { before: accountsBefore, after: input.accountsOnFirstSignIn },
    })
  })
}

/**
 * Brings every provider's client secret under the current key of MFA_ENCRYPTION_KEYS (run at
 * start, beside the authenticator secrets): each is changed only if it still holds what was read,
 * so two processes starting at once agree. A secret under a key no longer held is left for an
 * administrator to type again, and counted.
 */
export async function rotateProviderSecrets(
  db: Database,
  keyring: MfaKeyring,
): Promise<{ rotated: number; unreadable: number }> {
  const rows = await db
    .selectFrom('oidc_provider')
    .select(['id', 'client_secret_sealed'])
    .orderBy('id')
    .execute()
  let rotated = 0
  let unreadable = 0
  for (const row of rows) {
    if (sealedKeyId(row.client_secret_sealed) === keyring.current.id) continue
    let plain: string
    try {
      plain = openSecret(keyring, row.id, row.client_secret_sealed, CLIENT_SECRET_PURPOSE)
    } catch {
      unreadable++
      continue
    }
    const result = await db
      .updateTable('oidc_provider')
      .set({ client_secret_sealed: sealSecret(keyring, row.id, plain, CLIENT_SECRET_PURPOSE) })
      .where('id', '=', row.id)
      .where('client_secret_sealed', '=', row.client_secret_sealed)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) > 0) rotated++
  }
  return { rotated, unreadable }
}
