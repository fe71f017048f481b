import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { carerHomeRoutes } from './home.routes.ts'
import { carerViewsRoutes } from './views.routes.ts'

/** The carer's own part (issue 20): their home, and their views for a PEP. */
export const carerRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  await app.register(carerHomeRoutes, { db, clock })
  await app.register(carerViewsRoutes, { db, clock, baseUrl })
}
