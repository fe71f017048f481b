import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import {
  attemptLimit,
  DEFAULT_ATTEMPT_LIMIT,
  registerAttemptLimits,
  type AttemptLimit,
} from '../../shared/throttle.ts'
import { forgottenRoutes } from './forgotten.routes.ts'
import { invitationRoutes } from './invitations.routes.ts'
import { setPasswordRoutes } from './set-password.routes.ts'
import { decorateTokenUser } from './token-context.ts'
import { yourAccountRoutes } from './your-account.routes.ts'

export interface AccountRouteOptions {
  db: Database
  clock: Clock
  baseUrl: string
  attemptLimit?: AttemptLimit
}

/** What every account page group is given: the options, and the one limit on attempts. */
export interface AccountGroupOptions {
  db: Database
  clock: Clock
  baseUrl: string
  throttled: ReturnType<typeof attemptLimit>
}

/**
 * Your account, the links emails send (an invitation, a password reset) and forgotten
 * passwords and email addresses, by page group. The links load the person their token is for
 * first (token-context.ts), answering "link expired" (404) otherwise.
 */
export const accountRoutes: FastifyPluginAsync<AccountRouteOptions> = async (
  app,
  { db, clock, baseUrl, attemptLimit: limit = DEFAULT_ATTEMPT_LIMIT },
) => {
  await registerAttemptLimits(app, db, clock)
  await app.register(invitationRoutes, { db, clock })
  decorateTokenUser(app)
  const options = { db, clock, baseUrl, throttled: attemptLimit(limit, 'account-email') }
  await app.register(yourAccountRoutes, options)
  await app.register(setPasswordRoutes, options)
  await app.register(forgottenRoutes, options)
}
