import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { decorateChildCore } from './child-admin-context.ts'
import { editChildRoutes } from './edit-child.routes.ts'
import { childImportRoutes } from './import.routes.ts'
import { newChildRoutes } from './new-child.routes.ts'

/** Adding, changing and importing children, by page group. */
export const childAdminRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  options,
) => {
  decorateChildCore(app)
  await app.register(newChildRoutes, options)
  await app.register(editChildRoutes, options)
  await app.register(childImportRoutes, options)
}
