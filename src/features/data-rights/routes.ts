import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { retentionRoutes } from './retention.routes.ts'
import { subjectAccessRoutes } from './subject-access.routes.ts'

/** The data subject's rights (issue 22, ADR 13): subject access, and retention with erasure. */
export const dataRightsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  await app.register(subjectAccessRoutes, { db, clock })
  await app.register(retentionRoutes, { db, clock })
}
