import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { decorateManagedUser } from './user-context.ts'
import { userActivityRoutes } from './user-activity.routes.ts'
import { userChildrenRoutes } from './user-children.routes.ts'
import { userRoutes } from './user.routes.ts'
import { usersRoutes } from './users.routes.ts'

export interface AdminRouteOptions {
  db: Database
  clock: Clock
  /** The address people use, for links in invitation emails. */
  baseUrl: string
}

/**
 * The administrator's pages about the users of their authorities, by page group. Every page and
 * change about one user loads the user first (user-context.ts), answering 404 outside the
 * administrator's authorities.
 */
export const adminRoutes: FastifyPluginAsync<AdminRouteOptions> = async (app, options) => {
  decorateManagedUser(app)
  await app.register(usersRoutes, options)
  await app.register(userRoutes, options)
  await app.register(userChildrenRoutes, options)
  await app.register(userActivityRoutes, options)
}
