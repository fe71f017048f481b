import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import { childPageModel } from '../../shared/child-header.ts'
import { listEvents, listSchoolHistory } from './history.repository.ts'

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
        pageTitle: `School history and events – ${child.firstName} ${child.lastName}`,
        schools: schools.map((s) => [
          { text: `${s.name}${s.urn ? ` (URN ${s.urn})` : ''}` },
          { text: formatDate(s.startedOn) },
          { text: s.endedOn ? formatDate(s.endedOn) : 'Current' },
          { text: s.reason ?? '' },
        ]),
        events: events.map((e) => ({
          label: { text: e.summary },
          datetime: { timestamp: e.recordedAt.toISOString(), type: 'datetime' },
          byline: { text: e.recordedByName ?? 'The service' },
          text: `Recorded ${formatDateTime(e.recordedAt)}`,
        })),
        actions: [
          { text: 'Record a change of school', href: paths.children.changeSchool(child.id) },
          { text: 'Record a change of placement', href: paths.children.changePlacement(child.id) },
          { text: 'Change the record owner', href: paths.children.changeOwner(child.id) },
          {
            text: 'Record that the child has ceased to be in care',
            href: paths.children.ceaseCare(child.id),
          },
        ],
      })
    },
  )
}
