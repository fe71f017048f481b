import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { canAct } from '../../domain/permissions.ts'
import { paths } from '../../paths.ts'
import { paginate, pageNumber } from '../../views/pagination.ts'
import {
  listChildrenSeenBy,
  listChoicesSeenBy,
  listSchoolsOfAuthorities,
} from './children.repository.ts'
import { auditedQuery } from '../../shared/list-filters.ts'
import { exportFormat, sendExport } from '../../shared/export/send.ts'
import { wholeAuthorities } from '../../shared/child-access.ts'
import { childListExport, presentChildList, readListQuery } from './child-list.presenter.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import { recordRoutes } from './record.routes.ts'
import { decorateChildRecord } from './record-context.ts'
import { accessListRoutes } from './access-list.routes.ts'
import { carerInvitationRoutes } from './carer-invitations.routes.ts'
import { notesRoutes } from './notes.routes.ts'
import { documentsRoutes } from './documents.routes.ts'
import { historyRoutes } from './history.routes.ts'
import { eventsRoutes } from './events.routes.ts'
import { circumstancesRoutes } from './circumstances.routes.ts'
import { currentPeps } from '../../shared/current-pep.ts'
import { termOf } from '../../domain/terms.ts'
import { loadFilterFrame } from '../../shared/cohort-filter.ts'

const PAGE_SIZE = 25
/** The most rows an export holds (every child of the largest authority, with room to spare). */
const EXPORT_LIMIT = 100_000

type ListQueryString = Record<string, string | undefined>

export const childrenRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  const listConfig = (audit: 'children.list' | 'children.export') => ({
    config: {
      access: { action: 'children.list' as const },
      audit,
      auditDetails: (request: { query: unknown }) => {
        const { filters } = auditedQuery(request.query) as { filters: Record<string, string> }
        const status = (request.query as Record<string, unknown> | undefined)?.status
        return {
          filters: { ...filters, ...(typeof status === 'string' && status ? { status } : {}) },
        }
      },
    },
  })

  /** The list's choices and filters: only what the children this person may see hold. */
  async function readList(request: FastifyRequest<{ Querystring: ListQueryString }>) {
    const user = request.user!
    const [schools, seen] = await Promise.all([
      listSchoolsOfAuthorities(db, wholeAuthorities(user)),
      listChoicesSeenBy(db, user),
    ])
    // The authorities' schools and any other school a child seen attends, by name.
    const bySchool = new Map([...schools, ...seen.schools].map((s) => [s.id, s.name]))
    const choices = {
      schools: [...bySchool].sort(
        ([a, x], [b, y]) => x.localeCompare(y, 'en-GB') || (a < b ? -1 : 1),
      ),
      socialWorkers: seen.socialWorkers.map((w): [string, string] => [w.id, w.name]),
      placements: seen.placements,
    }
    const today = londonDate(clock.now())
    const showPeps = canAct(
      user.memberships.map((m) => m.role),
      'pep.view',
    )
    // This term seen today: the children list's PEP filters count as the dashboard does.
    const frame = await loadFilterFrame(db, termOf(today), today, today)
    const query = readListQuery(request.query, choices, frame, showPeps)
    const pepsOf = async (ids: string[]) =>
      showPeps ? await currentPeps(db, ids, termOf(today), today) : null
    return { user, choices, today, query, pepsOf }
  }

  /** One page of the list; with a filter not offered, named in the error summary (400). */
  async function renderList(
    request: FastifyRequest<{ Querystring: ListQueryString }>,
    reply: FastifyReply,
    list: Awaited<ReturnType<typeof readList>>,
    page: number,
  ) {
    const { user, choices, today, query, pepsOf } = list
    const result = await listChildrenSeenBy(
      db,
      user,
      query.filters,
      { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE },
      query.order,
    )
    const peps = await pepsOf(result.rows.map((c) => c.id))
    return reply.code(query.errors ? 400 : 200).render('children/views/list.njk', {
      ...presentChildList(
        result,
        query,
        choices,
        today,
        paginate(page, PAGE_SIZE, result.total, query.href),
        peps,
      ),
      canManageChildren: canAct(
        user.memberships.map((m) => m.role),
        'children.manage',
      ),
    })
  }

  app.get<{ Querystring: ListQueryString }>(
    paths.children.list(),
    listConfig('children.list'),
    async (request, reply) =>
      renderList(request, reply, await readList(request), pageNumber(request.query.page)),
  )

  app.get<{ Querystring: ListQueryString }>(
    paths.children.export(),
    listConfig('children.export'),
    async (request, reply) => {
      const list = await readList(request)
      const { user, today, query, pepsOf } = list
      // A filter not offered refuses the export rather than widen it: the page says which.
      if (query.errors) return renderList(request, reply, list, 1)
      const all = await listChildrenSeenBy(
        db,
        user,
        query.filters,
        { offset: 0, limit: EXPORT_LIMIT },
        query.order,
      )
      const peps = await pepsOf(all.rows.map((c) => c.id))
      return sendExport(
        reply,
        exportFormat(request.query.format),
        childListExport(all.rows, query, today, peps),
      )
    },
  )

  decorateChildRecord(app)
  await app.register(recordRoutes, { db, clock })
  await app.register(accessListRoutes, { db, clock })
  await app.register(carerInvitationRoutes, { db, clock, baseUrl })
  await app.register(notesRoutes, { db, clock })
  await app.register(documentsRoutes, { db, clock })
  await app.register(historyRoutes, { db, clock })
  await app.register(eventsRoutes, { db, clock })
  await app.register(circumstancesRoutes, { db, clock })
}
