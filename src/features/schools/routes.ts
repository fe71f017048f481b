import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { conversionRoutes } from './conversion.routes.ts'
import { schoolImportRoutes } from './import.routes.ts'
import { schoolListRoutes } from './list.routes.ts'
import { decorateSchool } from './school-context.ts'
import { schoolRoutes } from './school.routes.ts'

export interface SchoolsRouteOptions {
  db: Database
  clock: Clock
}

/**
 * The schools of the user's authorities, by page group. A school's pages load the school their
 * URL names first (school-context.ts), answering 404 outside the user's authorities.
 */
export const schoolsRoutes: FastifyPluginAsync<SchoolsRouteOptions> = async (app, options) => {
  decorateSchool(app)
  await app.register(schoolListRoutes, options)
  await app.register(schoolRoutes, options)
  await app.register(conversionRoutes, options)
  await app.register(schoolImportRoutes, options)
}
