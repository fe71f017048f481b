import type { FastifyPluginAsync } from 'fastify'
import { londonDate } from '../../domain/calendar-date.ts'
import { paths } from '../../paths.ts'
import { GROUP_NAMES, groupAuthorities, groupFromSlug } from '../../shared/group-trays.ts'
import type { TraysRouteOptions } from './routes.ts'
import { notFound } from './task-context.ts'
import { trayItem } from './trays.presenter.ts'
import { listGroupTray } from './trays.repository.ts'

/** A group tray: the tasks waiting for business support or the Virtual School consultants. */
export const groupTrayRoutes: FastifyPluginAsync<TraysRouteOptions> = async (
  app,
  { db, clock },
) => {
  app.get<{ Params: { group: string } }>(
    paths.trays.group(':group'),
    { config: { access: { action: 'tray.group' }, audit: 'tray.group.view' } },
    async (request, reply) => {
      const user = request.user!
      const group = groupFromSlug(request.params.group)
      if (!group) return notFound(reply)
      const authorityIds = groupAuthorities(user, group)
      if (authorityIds.length === 0) {
        await request.audit({
          action: 'access.denied',
          outcome: 'denied',
          details: { action: 'tray.group', group },
        })
        return notFound(reply)
      }
      const rows = await listGroupTray(db, group, authorityIds)
      const day = londonDate(clock.now())
      return reply.render('trays/views/group-tray.njk', {
        pageTitle: GROUP_NAMES[group],
        authorityNames: [
          ...new Set(
            user.memberships
              .filter((m) => authorityIds.includes(m.authorityId))
              .map((m) => m.authorityName),
          ),
        ],
        tasks: rows.map((row) => ({
          ...trayItem(row, day),
          taskHref: paths.trays.task(row.id),
          pickUpHref: paths.trays.pickUp(row.id),
        })),
      })
    },
  )
}
