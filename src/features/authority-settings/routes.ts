import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { decorateSettingsAuthority } from './authority-context.ts'
import { closureDayRoutes } from './closure-days.routes.ts'
import { settingsRoutes } from './settings.routes.ts'

export interface AuthoritySettingsRouteOptions {
  db: Database
  clock: Clock
}

/*
 * The authority's settings, for its Virtual School administrators, by page group: an overview
 * of every setting, a page to change each group of them, and the closure days that working days
 * skip. An administrator of several authorities chooses one (`?authority=`); another authority's
 * id answers "Page not found" (authority-context.ts).
 */
export const authoritySettingsRoutes: FastifyPluginAsync<AuthoritySettingsRouteOptions> = async (
  app,
  options,
) => {
  decorateSettingsAuthority(app)
  await app.register(settingsRoutes, options)
  await app.register(closureDayRoutes, options)
}
