import fp from 'fastify-plugin'
import type { Database } from '../../db/connection.ts'
import { wholeAuthorities } from '../../shared/child-access.ts'
import { TRAY_COUNT_MARK, trayCountMarkup } from '../../views/navigation.ts'
import { countMyTray } from './trays.repository.ts'

/*
 * The number on the header's "Tray" item, counted as a page is sent: the navigation leaves a
 * mark where it goes (views/navigation.ts), and this hook counts the user's open tasks and
 * unread alerts only when a page carries the mark. A request answered without a page (a save's
 * redirect, a download) asks nothing; each page counts afresh, for its own user. Registered
 * before the feature routes so that every page has it: Fastify copies hooks into a plugin's
 * scope when the plugin is registered.
 */
export const trayCountPlugin = fp<{ db: Database }>(
  async (app, { db }) => {
    app.addHook('onSend', async (request, _reply, payload) => {
      const user = request.user
      if (!user || typeof payload !== 'string') return payload
      const at = payload.indexOf(TRAY_COUNT_MARK)
      if (at < 0) return payload
      // The count is the header's, not the page's: a page is still sent without it (a database
      // outage's own page, say), the failure logged.
      const count = await countMyTray(db, user.id, wholeAuthorities(user)).catch((err: unknown) => {
        request.log.warn({ err }, 'the tray count was not read')
        return 0
      })
      return (
        payload.slice(0, at) + trayCountMarkup(count) + payload.slice(at + TRAY_COUNT_MARK.length)
      )
    })
  },
  { name: 'tray-count' },
)
