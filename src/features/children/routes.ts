import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { canAct } from '../../domain/permissions.ts'
import { paths } from '../../paths.ts'
import { paginate, pageNumber } from '../../views/pagination.ts'
import { listChildrenSeenBy, listSchoolsOfAuthorities } from './children.repository.ts'
import { wholeAuthorities } from '../../shared/child-access.ts'
import { presentChildList, readListQuery } from './child-list.presenter.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import { renderChildRecord } from './record.page.ts'
import { accessListRoutes } from './access-list.routes.ts'
import { carerInvitationRoutes } from './carer-invitations.routes.ts'
import { notesRoutes } from './notes.routes.ts'
import { documentsRoutes } from './documents.routes.ts'
import { historyRoutes } from './history.routes.ts'
import { eventsRoutes } from './events.routes.ts'
import { circumstancesRoutes } from './circumstances.routes.ts'
import { currentPeps } from './current-pep.query.ts'
import { termOf } from '../../domain/terms.ts'

const PAGE_SIZE = 25

export const childrenRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.children.list(),
    { config: { access: { action: 'children.list' }, audit: 'children.list' } },
    async (request, reply) => {
      const user = request.user!
      const schools = await listSchoolsOfAuthorities(db, wholeAuthorities(user))
      const today = londonDate(clock.now())
      const query = readListQuery(request.query, schools, today)
      const page = pageNumber(request.query.page)
      const result = await listChildrenSeenBy(db, user, query.filters, {
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
      })
      const roles = user.memberships.map((m) => m.role)
      const showPeps = canAct(roles, 'pep.view')
      const peps = showPeps
        ? await currentPeps(
            db,
            result.rows.map((c) => c.id),
            termOf(today),
            today,
          )
        : null
      return reply.render('children/views/list.njk', {
        ...presentChildList(
          result,
          query,
          schools,
          today,
          paginate(page, PAGE_SIZE, result.total, query.href),
          peps,
        ),
        canManageChildren: canAct(
          user.memberships.map((m) => m.role),
          'children.manage',
        ),
      })
    },
  )

  app.get<{ Params: { childId: string } }>(
    paths.children.show(':childId'),
    { config: { access: { action: 'child.view', child: true }, audit: 'child.view' } },
    async (request, reply) => renderChildRecord(request, reply, db, clock),
  )

  await app.register(accessListRoutes, { db, clock })
  await app.register(carerInvitationRoutes, { db, clock, baseUrl })
  await app.register(notesRoutes, { db, clock })
  await app.register(documentsRoutes, { db, clock })
  await app.register(historyRoutes, { db, clock })
  await app.register(eventsRoutes, { db, clock })
  await app.register(circumstancesRoutes, { db, clock })
}
