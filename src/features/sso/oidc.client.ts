import * as client from 'openid-client'
import { isLoopbackIssuer } from '../../domain/single-sign-on.ts'
import type { MfaKeyring } from '../../shared/secrets.ts'
import { openSecret } from '../../shared/secrets.ts'
import type { ProviderRow } from './sso.repository.ts'

/*
 * openid-client (v6) configured for one provider: its discovery document read once and kept
 * until the provider's settings change (the cache is keyed by the row's last change), the client
 * secret opened from its sealed form only here. Plain http is allowed only for an issuer on this
 * machine (development and the tests' provider); the settings form refuses any other.
 */

/** What sealing a provider's client secret binds it to (a copy moved to another row fails). */
export const CLIENT_SECRET_PURPOSE = 'oidc-client-secret'
const DISCOVERY_TIMEOUT_SECONDS = 10

const cache = new Map<string, { version: number; config: Promise<client.Configuration> }>()

export function providerConfiguration(
  provider: ProviderRow,
  keyring: MfaKeyring,
): Promise<client.Configuration> {
  const version = provider.updatedAt.getTime()
  const cached = cache.get(provider.id)
  if (cached && cached.version === version) return cached.config
  const secret = openSecret(
    keyring,
    provider.id,
    provider.clientSecretSealed,
    CLIENT_SECRET_PURPOSE,
  )
  const config = client.discovery(
    new URL(provider.issuer),
    provider.clientId,
    secret,
    client.ClientSecretBasic(secret),
    {
      timeout: DISCOVERY_TIMEOUT_SECONDS,
      ...(isLoopbackIssuer(provider.issuer) ? { execute: [client.allowInsecureRequests] } : {}),
    },
  )
  // A failed discovery is not kept: the next sign-in tries again.
  config.catch(() => {
    if (cache.get(provider.id)?.config === config) cache.delete(provider.id)
  })
  cache.set(provider.id, { version, config })
  return config
}

export { client }
