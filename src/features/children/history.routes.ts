import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { childPageModel } from '../../shared/child-header.ts'
import { listEvents, listSchoolHistory } from './history.repository.ts'
import { presentHistory } from './history.presenter.ts'

/** A child's history: the events of their record, and their schools. */
export const historyRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db },
) => {
  app.get<{ Params: { childId: string } }>(
    paths.children.history(':childId'),
    {
      config: {
        access: { action: 'child.view', child: true, reads: 'events' },
        audit: 'child.history.view',
      },
    },
    async (request, reply) => {
      const child = request.child!
      const [schools, events] = await Promise.all([
        listSchoolHistory(db, child.id),
        listEvents(db, child.id),
      ])
      return reply.render('children/views/history.njk', {
        ...childPageModel(request, 'history'),
        ...presentHistory(child, schools, events),
      })
    },
  )
}
