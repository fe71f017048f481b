import type { FastifyPluginAsync } from 'fastify'
import { londonDate } from '../../domain/calendar-date.ts'
import { isUuid } from '../../domain/ids.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { actorFrom } from '../../shared/actor.ts'
import { wholeAuthorities } from '../../shared/child-access.ts'
import { groupAuthorities, isGroupTray } from '../../shared/group-trays.ts'
import type { TraysRouteOptions } from './routes.ts'
import { MY_TRAY_TITLE, alertDismissedText, groupTrayLinks, trayItem } from './trays.presenter.ts'
import { countHiddenMine, countMyGroupTrays, listMyTray } from './trays.repository.ts'
import { dismissMyAlert } from './trays.service.ts'
import { myStatutoryDeadlines } from './deadlines.service.ts'

/** My tray: my tasks and alerts, and dismissing an alert. */
export const myTrayRoutes: FastifyPluginAsync<TraysRouteOptions> = async (app, { db, clock }) => {
  app.get(
    paths.trays.mine(),
    { config: { access: { action: 'tray.view' }, audit: 'tray.view' } },
    async (request, reply) => {
      const user = request.user!
      const whole = wholeAuthorities(user)
      const [{ tasks, alerts }, hidden] = await Promise.all([
        listMyTray(db, user.id, whole),
        countHiddenMine(db, user.id, whole),
      ])
      const groups = groupTrayLinks(await countMyGroupTrays(db, user))
      const day = londonDate(clock.now())
      return reply.render('trays/views/my-tray.njk', {
        pageTitle: MY_TRAY_TITLE,
        tasks: tasks.map((row) => ({
          ...trayItem(row, day),
          // A group task I hold can be released or handed on from its page.
          workHref:
            isGroupTray(row.groupRole) &&
            groupAuthorities(user, row.groupRole).includes(row.authorityId)
              ? paths.trays.task(row.id)
              : null,
        })),
        alerts: alerts.map((row) => trayItem(row, day)),
        hidden,
        groups,
        deadlines: await myStatutoryDeadlines(db, user.id, day),
      })
    },
  )

  app.post<{ Params: { taskId: string } }>(
    paths.trays.dismissAlert(':taskId'),
    { config: { access: { action: 'tray.view' }, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const { taskId } = request.params
      const dismissed =
        isUuid(taskId) && (await dismissMyAlert(db, actorFrom(request, clock), taskId)).ok
      request.flash(dismissed ? 'success' : 'info', alertDismissedText(dismissed))
      return reply.redirect(paths.trays.mine(), 303)
    },
  )
}
