import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { impactRoutes } from './impact.routes.ts'
import { overviewRoutes } from './overview.routes.ts'
import { paymentsRoutes } from './payments.routes.ts'
import { requestsRoutes } from './requests.routes.ts'
import { runDiscardRoutes } from './run-discard.routes.ts'

/** Pupil Premium Plus (issue 18): its page groups. */
export const fundingRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  options,
) => {
  await app.register(requestsRoutes, options)
  await app.register(overviewRoutes, options)
  await app.register(paymentsRoutes, options)
  await app.register(runDiscardRoutes, options)
  await app.register(impactRoutes, options)
}
