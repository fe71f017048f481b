import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { canAct } from '../../domain/permissions.ts'
import { previousTerm, termKey, termLabel, type Term } from '../../domain/terms.ts'
import { paths } from '../../paths.ts'
import { cohortDay, criteriaRatings, ratingsByTerm } from './cohort.query.ts'
import { readTermFigures } from './figures.query.ts'
import { DASHBOARD_HEADING, dashboardTitle, presentDashboard } from './dashboard.presenter.ts'
import {
  auditedQuery,
  authoritiesFor,
  readScope,
  termChoices,
  type Query,
} from '../../shared/list-filters.ts'

/** The last six terms, the chosen one last. */
function sixTermsTo(term: Term): Term[] {
  const terms = [term]
  while (terms.length < 6) terms.unshift(previousTerm(terms[0]!))
  return terms
}

export const dashboardRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  app.get<{ Querystring: Query }>(
    paths.oversight.dashboard(),
    {
      config: {
        access: { action: 'oversight.view' },
        audit: 'oversight.dashboard.view',
        auditDetails: (request) => auditedQuery(request.query),
      },
    },
    async (request, reply) => {
      const user = request.user!
      const today = londonDate(clock.now())
      const authorities = authoritiesFor(user, 'oversight.view')
      const asked = readScope(request.query, authorities, today)
      if (!asked.scope)
        return reply.code(400).render('oversight/views/dashboard.njk', {
          pageTitle: dashboardTitle(),
          heading: DASHBOARD_HEADING,
          errors: asked.errors,
          values: asked.values,
          authorityItems: [
            { value: '', text: 'Choose an authority' },
            ...authorities.map((a) => ({ value: a.id, text: a.name })),
          ],
          termItems: termChoices(today).map((t) => ({ value: termKey(t), text: termLabel(t) })),
        })
      const { authority, term } = asked.scope
      // Independent reads, asked for at once: the page waits for the longest, not their sum.
      const [cohort, trend, criteria] = await Promise.all([
        readTermFigures(db, authority.id, term, today),
        ratingsByTerm(db, authority.id, sixTermsTo(term)),
        criteriaRatings(db, authority.id, term, cohortDay(term, today)),
      ])
      const roles = user.memberships
        .filter((m) => m.authorityId === authority.id)
        .map((m) => m.role)
      return reply.render('oversight/views/dashboard.njk', {
        values: asked.values,
        ...presentDashboard({
          scope: asked.scope,
          authorities,
          cohort,
          trend,
          criteria,
          today,
          canRemind: canAct(roles, 'oversight.remind'),
        }),
      })
    },
  )
}
