import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { groupTrayRoutes } from './group-tray.routes.ts'
import { myTrayRoutes } from './my-tray.routes.ts'
import { decorateGroupTask } from './task-context.ts'
import { taskRoutes } from './task.routes.ts'

export { trayCountPlugin } from './tray-count-context.ts'

export interface TraysRouteOptions {
  db: Database
  clock: Clock
}

/**
 * My tray, and the group trays of business support and the Virtual School consultants, by page
 * group. A group task's pages load the task their URL names first (task-context.ts), answering
 * 404 to anyone who does not work its tray.
 */
export const traysRoutes: FastifyPluginAsync<TraysRouteOptions> = async (app, options) => {
  decorateGroupTask(app)
  await app.register(myTrayRoutes, options)
  await app.register(groupTrayRoutes, options)
  await app.register(taskRoutes, options)
}
