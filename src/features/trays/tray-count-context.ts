import fp from 'fastify-plugin'
import type { Database } from '../../db/connection.ts'
import { canAct } from '../../domain/permissions.ts'
import type { CurrentUser } from '../../shared/users.ts'
import { wholeAuthorities } from '../../shared/child-access.ts'
import { countMyTray } from './trays.repository.ts'

/*
 * The number on the header's "Tray" item. Pages are rendered synchronously, so the count is
 * read before the handler (one query, by the trays plugin's preHandler hook) and kept against
 * the request's user object: each request loads its own, so a count never outlives its request
 * and never reaches another user.
 */
const counts = new WeakMap<CurrentUser, number>()

export function rememberTrayCount(user: CurrentUser, count: number): void {
  counts.set(user, count)
}

/** The user's open tasks and unread alerts, when counted for this request. */
export function trayCountFor(user: CurrentUser): number | undefined {
  return counts.get(user)
}

/**
 * The header's tray count, read once per request before the handler (pages render
 * synchronously). Registered before the feature routes so that every page has it: Fastify
 * copies hooks into a plugin's scope when the plugin is registered.
 */
export const trayCountPlugin = fp<{ db: Database }>(
  async (app, { db }) => {
    app.addHook('preHandler', async (request) => {
      const user = request.user
      const access = request.routeOptions.config.access
      if (!user || !access || 'public' in access) return
      if (
        !canAct(
          user.memberships.map((m) => m.role),
          'tray.view',
        )
      )
        return
      rememberTrayCount(user, await countMyTray(db, user.id, wholeAuthorities(user)))
    })
  },
  { name: 'tray-count' },
)
