import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate, type CalendarDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { canAct } from '../../domain/permissions.ts'
import { ROLE_NAMES } from '../../domain/roles.ts'
import { termOf } from '../../domain/terms.ts'
import { currentPeps } from '../../shared/current-pep.ts'
import { paths } from '../../paths.ts'
import { auditedQuery, type Query } from '../../shared/list-filters.ts'
import { loadFilterFrame } from '../../shared/cohort-filter.ts'
import { exportFormat, sendExport } from '../../shared/export/send.ts'
import type { CurrentUser } from '../../shared/users.ts'
import { pageNumber, paginate } from '../../views/pagination.ts'
import { listMyChildren, listMyChildrenChoices, type MyChildRow } from './my-children.repository.ts'
import {
  MY_WORK_TITLE,
  describeMyChild,
  myWorkExport,
  presentMyWorkList,
  readMyWorkQuery,
} from './my-work-list.presenter.ts'
import { countMyGroupTrays, listMyTray } from '../trays/trays.service.ts'
import { groupTrayLinks, trayItem } from '../trays/trays.presenter.ts'
import { linkedChildOf, wholeAuthorities } from '../../shared/child-access.ts'
import { isCarerOnly, isYoungPersonOnly } from '../../views/navigation.ts'
import { YP_WORDS } from '../young-person/young-person.presenter.ts'

/** How many of my tasks My work shows; the tray has them all. */
const HOME_TASKS = 5
/** How many of my children a page of My work's list shows. */
const PAGE_SIZE = 25
/** The most rows an export holds (far more children than anyone works with). */
const EXPORT_LIMIT = 10_000

/**
 * My work's list as asked: the choices (only from the person's own children), the filters read
 * from the query string, and a reader of any slice of the rows with their PEPs in words.
 */
async function readMyWork(db: Database, user: CurrentUser, query: Query, today: CalendarDate) {
  const term = termOf(today)
  const [choices, frame] = await Promise.all([
    listMyChildrenChoices(db, user.id, term),
    // This term seen today: the PEP filters count as the dashboard and the children list do.
    loadFilterFrame(db, term, today, today),
  ])
  const asked = readMyWorkQuery(query, choices)
  const read = async (page: { offset: number; limit: number }) => {
    const { rows, total } = await listMyChildren(
      db,
      user.id,
      asked.filter ?? {},
      frame,
      asked.order,
      page,
    )
    const peps = await currentPeps(
      db,
      rows.filter((r) => r.status === 'in_care').map((r) => r.id),
      term,
      today,
    )
    return { rows: rows.map((r: MyChildRow) => describeMyChild(r, today, peps)), total }
  }
  return { choices, asked, read }
}

/** "My work": where every user lands after signing in, with the children they work with. */
export const homeRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  // Each view and export is audited with the filters asked (issue 17).
  const auditDetails = (request: FastifyRequest) => auditedQuery(request.query)

  app.get<{ Querystring: Query }>(
    paths.home(),
    { config: { access: { signedIn: true }, audit: 'home.view', auditDetails } },
    async (request, reply) => {
      const user = request.user!
      const roles = user.memberships.map((m) => m.role)
      // A young person has their own home, in their own words, not staff's My work (issue 20).
      if (isYoungPersonOnly(user)) {
        const childId = await linkedChildOf(db, user.id)
        if (childId) return reply.redirect(paths.youngPerson.home(childId), 303)
        return reply.render('young-person/views/not-linked.njk', {
          pageTitle: YP_WORDS.homeTitle,
          words: YP_WORDS,
        })
      }
      // A carer has their own home too: the children placed with them (issue 20).
      if (isCarerOnly(user)) return reply.redirect(paths.carer.home(), 303)
      const today = londonDate(clock.now())
      const page = pageNumber(request.query.page)
      const [myWork, tray, groups] = await Promise.all([
        readMyWork(db, user, request.query, today),
        listMyTray(db, user.id, wholeAuthorities(user)),
        countMyGroupTrays(db, user),
      ])
      const { choices, asked } = myWork
      const found = asked.filter
        ? await myWork.read({ offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE })
        : null
      const list = found && {
        ...found,
        pagination: paginate(page, PAGE_SIZE, found.total, `${paths.home()}${asked.search}`),
      }
      return reply.code(asked.errors ? 400 : 200).render('home/views/my-work.njk', {
        pageTitle: MY_WORK_TITLE,
        memberships: user.memberships.map((m) => ({
          authorityName: m.authorityName,
          roleName: ROLE_NAMES[m.role],
        })),
        // The authority column, for someone who works for more than one.
        severalAuthorities: new Set(user.memberships.map((m) => m.authorityId)).size > 1,
        canListChildren: canAct(roles, 'children.list'),
        ...presentMyWorkList(asked, choices, list),
        tasks: tray.tasks.slice(0, HOME_TASKS).map((row) => trayItem(row, today)),
        taskCount: tray.tasks.length,
        alertCount: tray.alerts.length,
        // The group trays' work is theirs too: a consultant with an empty tray of their own
        // still has quality assurance waiting (issue 15).
        groups: groupTrayLinks(groups),
      })
    },
  )

  app.get<{ Querystring: Query }>(
    paths.myWork.export(),
    { config: { access: { action: 'home.export' }, audit: 'home.export', auditDetails } },
    async (request, reply) => {
      const today = londonDate(clock.now())
      const { asked, read } = await readMyWork(db, request.user!, request.query, today)
      // A filter that is not one of the choices exports nothing: the list says what is wrong.
      if (!asked.filter) return reply.redirect(`${paths.home()}${asked.search}`, 303)
      const { rows } = await read({ offset: 0, limit: EXPORT_LIMIT })
      return sendExport(
        reply,
        exportFormat(request.query.format),
        myWorkExport(rows, asked.words, today),
      )
    },
  )
}
