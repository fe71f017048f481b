import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { mayReadPart } from '../../domain/visibility.ts'
import { paths } from '../../paths.ts'
import { listPepsOfChild } from '../peps/peps.service.ts'
import { listMyTray } from '../trays/trays.service.ts'
import { trayItem } from '../trays/trays.presenter.ts'
import { listPlacedChildren } from './carer.repository.ts'
import { formatDateTime } from '../../views/format.ts'
import { findCarerViews } from './carer-views.service.ts'
import { askedOf, CARER_WORDS, nextMeeting, pepLinks, viewsStatus } from './carer.presenter.ts'

/** How many PEPs of each child the home lists; the child's record has them all. */
const PEPS_SHOWN = 3

/**
 * The carer's own home (issue 20): the children placed with them while their places hold
 * (ADR 8), each as far as a carer reads (ADR 10: name, school, PEPs and their meetings), what
 * they are asked to fill in, and any tasks of theirs (no tray of their own to go to).
 */
export const carerHomeRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  app.get(
    paths.carer.home(),
    { config: { access: { action: 'carer.own' }, audit: 'carer.home.view' } },
    async (request, reply) => {
      const user = request.user!
      const today = londonDate(clock.now())
      const [placed, tray] = await Promise.all([
        listPlacedChildren(db, user.id),
        listMyTray(db, user.id, []),
      ])
      const children = await Promise.all(
        placed.map(async (row) => {
          const peps = mayReadPart('carer', 'peps')
            ? await listPepsOfChild(db, row.id, PEPS_SHOWN)
            : []
          const current = peps.find((p) => p.status !== 'signed_off')
          const views = current && (await findCarerViews(db, current.id, user.id))
          return {
            name: `${row.firstName} ${row.lastName}`,
            href: paths.children.show(row.id),
            school: mayReadPart('carer', 'school') ? row.schoolName : null,
            meeting: nextMeeting(peps, today),
            asked: askedOf(current),
            views: viewsStatus(current, views, formatDateTime),
            peps: pepLinks(peps),
          }
        }),
      )
      return reply.render('carer/views/home.njk', {
        pageTitle: CARER_WORDS.homeTitle,
        words: CARER_WORDS,
        children,
        tasks: tray.tasks.map((row) => trayItem(row, today)),
      })
    },
  )
}
