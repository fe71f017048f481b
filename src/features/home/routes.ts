import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { canAct } from '../../domain/permissions.ts'
import { ROLE_NAMES, isRole, type Role } from '../../domain/roles.ts'
import { termOf } from '../../domain/terms.ts'
import { describePepState } from '../children/child-list.presenter.ts'
import { currentPeps, type CurrentPep } from '../children/current-pep.query.ts'
import { mayReadPart } from '../../domain/visibility.ts'
import { YEAR_GROUP_NAMES, isYearGroup, yearGroupOn } from '../../domain/year-group.ts'
import { paths } from '../../paths.ts'
import { listMyChildren, type MyChildRow } from './my-children.repository.ts'
import { countMyGroupTrays, listMyTray } from '../trays/trays.service.ts'
import { groupTrayLinks, trayItem } from '../trays/trays.presenter.ts'
import { wholeAuthorities } from '../trays/groups.ts'
import { isCarerOnly, isYoungPersonOnly } from '../../views/navigation.ts'
import { linkedChildOf } from '../../shared/child-access.ts'
import { YP_WORDS } from '../young-person/young-person.presenter.ts'

/** How many of my tasks My work shows; the tray has them all. */
const HOME_TASKS = 5

/** Children grouped by the authority that looks after them, for a user who works for several. */
export function groupByAuthority(
  rows: MyChildRow[],
  today: string,
  peps: ReadonlyMap<string, CurrentPep> = new Map(),
) {
  const groups = new Map<
    string,
    {
      authorityName: string
      children: unknown[]
      dateOfBirth: boolean
      yearGroup: boolean
      pep: boolean
    }
  >()
  for (const row of rows) {
    // Each row as far as the person's role on that child may read it (ADR 10).
    const role = isRole(row.capacity) ? row.capacity : null
    const coreData = mayReadPart(role, 'core-data')
    const indicators = mayReadPart(role, 'key-indicators')
    const year = yearGroupOn(
      row.dateOfBirth,
      today,
      isYearGroup(row.yearGroupOverride) ? row.yearGroupOverride : null,
    )
    const group = groups.get(row.authorityName) ?? {
      authorityName: row.authorityName,
      children: [],
      dateOfBirth: false,
      yearGroup: false,
      pep: false,
    }
    // This term's PEP, for those whose role on the child reads its key indicators (staff), while
    // the child is in care (issue 17).
    const showPep = indicators && row.status === 'in_care'
    group.dateOfBirth ||= coreData
    group.yearGroup ||= indicators
    group.pep ||= showPep
    group.children.push({
      name: `${row.firstName} ${row.lastName}`,
      href: paths.children.show(row.id),
      dateOfBirth: coreData ? row.dateOfBirth : null,
      yearGroup: !indicators
        ? null
        : year.kind === 'year'
          ? YEAR_GROUP_NAMES[year.yearGroup]
          : year.kind === 'too-young'
            ? 'Under 2'
            : 'Over 18',
      school: row.schoolName ?? 'No school recorded',
      role: isRole(row.capacity) ? ROLE_NAMES[row.capacity] : row.capacity,
      ceased: row.status === 'ceased',
      pep: showPep ? describePepState(peps.get(row.id)) : null,
    })
    groups.set(row.authorityName, group)
  }
  return [...groups.values()]
}

/** "My work": where every user lands after signing in, with the children they work with. */
export const homeRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  app.get(
    paths.home(),
    { config: { access: { signedIn: true }, audit: 'home.view' } },
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
      const [myChildren, tray, groups] = await Promise.all([
        listMyChildren(db, user.id),
        listMyTray(db, user.id, wholeAuthorities(user)),
        countMyGroupTrays(db, user),
      ])
      const peps = await currentPeps(
        db,
        myChildren
          .filter((c) => c.status === 'in_care' && isRole(c.capacity))
          .filter((c) => mayReadPart(c.capacity as Role, 'key-indicators'))
          .map((c) => c.id),
        termOf(today),
        today,
      )
      return reply.render('home/views/my-work.njk', {
        memberships: user.memberships.map((m) => ({
          authorityName: m.authorityName,
          roleName: ROLE_NAMES[m.role],
        })),
        canListChildren: canAct(roles, 'children.list'),
        childGroups: groupByAuthority(myChildren, today, peps),
        tasks: tray.tasks.slice(0, HOME_TASKS).map((row) => trayItem(row, today)),
        taskCount: tray.tasks.length,
        alertCount: tray.alerts.length,
        // The group trays' work is theirs too: a consultant with an empty tray of their own
        // still has quality assurance waiting (issue 15).
        groups: groupTrayLinks(groups),
      })
    },
  )
}
