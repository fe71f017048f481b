import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { attendanceRoutes } from './attendance.routes.ts'
import { decorateCorrections } from './correction-context.ts'
import { exclusionsRoutes } from './exclusions.routes.ts'
import { attainmentRoutes } from './attainment.routes.ts'
import { attendanceImportRoutes } from './import.routes.ts'
import { statutoryRoutes } from './statutory.routes.ts'

/** The child's education over time (issue 19): attendance, exclusions and attainment. */
export const educationRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  options,
) => {
  decorateCorrections(app)
  await app.register(attendanceRoutes, options)
  await app.register(exclusionsRoutes, options)
  await app.register(attainmentRoutes, options)
  await app.register(statutoryRoutes, options)
  await app.register(attendanceImportRoutes, options)
}
