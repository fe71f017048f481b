import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import type { MfaKeyring } from '../../shared/secrets.ts'
import { decorateSsoContext } from './provider-context.ts'
import { providerRoutes } from './providers.routes.ts'
import { ssoSignInRoutes } from './sign-in.routes.ts'

export interface SsoRouteOptions {
  db: Database
  clock: Clock
  /** The service's own address: the redirect URIs registered with each provider. */
  baseUrl: string
  /** Seals and opens the providers' client secrets (config.mfaKeys, MFA_ENCRYPTION_KEYS). */
  mfaKeys: MfaKeyring
}

/*
 * Single sign-on with each authority's OpenID Connect providers (issue 22, ADR 14), by page
 * group: signing in through a provider (and the page after signing out), and the authority's
 * settings (its providers and the passwords switch).
 */
export const ssoRoutes: FastifyPluginAsync<SsoRouteOptions> = async (app, options) => {
  decorateSsoContext(app)
  await app.register(ssoSignInRoutes, options)
  await app.register(providerRoutes, options)
}
