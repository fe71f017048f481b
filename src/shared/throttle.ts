import rateLimit from '@fastify/rate-limit'
import type { FastifyError, FastifyInstance } from 'fastify'
import type { Database } from '../db/connection.ts'
import type { Clock } from '../domain/clock.ts'
import { postgresRateLimitStore } from '../plugins/rate-limit-store.ts'

/** Per-IP attempts allowed on a group of form posts, in each window. */
export interface AttemptLimit {
  max: number
  timeWindowMs: number
}

export const DEFAULT_ATTEMPT_LIMIT: AttemptLimit = { max: 20, timeWindowMs: 60_000 }

const TOO_MANY = 'OPENPEP_TOO_MANY_ATTEMPTS'

/** The title of the page a throttled post answers (sign-in's titles name it too). */
export const TOO_MANY_ATTEMPTS_TITLE = 'Too many attempts'

/**
 * Adds per-IP throttling to the calling plugin's routes that ask for it (route config
 * `rateLimit: attemptLimit(...)`), answered with a design-system "too many attempts" page.
 * The counts are kept in the database, so the limit holds across every app process.
 */
export async function registerAttemptLimits(
  app: FastifyInstance,
  db: Database,
  clock: Clock,
): Promise<void> {
  await app.register(rateLimit, { global: false, store: postgresRateLimitStore(db, clock) })
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.code !== TOO_MANY) throw error
    return reply
      .code(429)
      .render('auth/views/too-many-attempts.njk', { pageTitle: TOO_MANY_ATTEMPTS_TITLE })
  })
}

/** The route config for a throttled post; routes in one group share a count. */
export function attemptLimit(limit: AttemptLimit, groupId: string) {
  return {
    max: limit.max,
    timeWindow: limit.timeWindowMs,
    groupId,
    errorResponseBuilder: () =>
      Object.assign(new Error('Too many attempts'), { statusCode: 429, code: TOO_MANY }),
  }
}
