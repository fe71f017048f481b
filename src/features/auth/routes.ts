import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import type { MfaKeyring } from '../../shared/secrets.ts'
import { mfaSetUpRoutes } from './mfa-set-up.routes.ts'
import { secondStepRoutes } from './second-step.routes.ts'
import { signInRoutes } from './sign-in.routes.ts'
import {
  attemptLimit,
  DEFAULT_ATTEMPT_LIMIT,
  registerAttemptLimits,
  type AttemptLimit,
} from '../../shared/throttle.ts'

export interface AuthRouteOptions {
  db: Database
  clock: Clock
  attemptLimit?: AttemptLimit
  /** Keys for authenticator secrets at rest (config.mfaKeys). */
  mfaKeys: MfaKeyring
}

/**
 * Signing in and out, by page group: the password step, the second step (a security or recovery
 * code), and setting up two-step verification. Every sign-in post shares one attempt limit.
 */
export const authRoutes: FastifyPluginAsync<AuthRouteOptions> = async (
  app,
  { db, clock, attemptLimit: limit = DEFAULT_ATTEMPT_LIMIT, mfaKeys },
) => {
  await registerAttemptLimits(app, db, clock)
  const options = { db, clock, mfaKeys, throttled: attemptLimit(limit, 'sign-in') }
  await app.register(signInRoutes, options)
  await app.register(secondStepRoutes, options)
  await app.register(mfaSetUpRoutes, options)
}
