import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { addDays, londonDate, londonInstant } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { JOBS } from '../../jobs/queue.ts'
import { paths } from '../../paths.ts'
import { formatDate } from '../../views/format.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import {
  chosenAuthorityOf,
  decorateChosenAuthority,
  loadAuthority,
} from '../../shared/choose-authority.ts'
import { CHOSEN_ON_OVERVIEW } from './authority-context.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import {
  ACTIVITY_DAYS,
  SCHEDULED_WORK_TITLE,
  activityTable,
  jobCards,
  scheduledJobs,
} from './scheduled-work.presenter.ts'
import { countNotices } from './scheduled-work.repository.ts'

/*
 * Scheduled work: for a Virtual School administrator, what OpenPEP does by itself (the jobs, in
 * words, and when each runs next in England's time), whether the authority's switches let it,
 * and what it did for the authority in the last 30 days, counted by day and kind. Counts only:
 * no child is named. The same people as the settings, which decide what the jobs do; an
 * administrator of several authorities chooses one on the settings overview.
 */

type Query = { authority?: string }

const VIEW = {
  access: { action: 'authority.settings' },
  audit: 'authority.scheduled-work.view',
} as const

const forAuthority = (path: string, authority: AuthorityChoice) =>
  `${path}?authority=${encodeURIComponent(authority.id)}`

export const scheduledWorkRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  decorateChosenAuthority(app)
  app.get<{ Querystring: Query }>(
    paths.authoritySettings.scheduledWork(),
    { config: VIEW, preHandler: loadAuthority(db, CHOSEN_ON_OVERVIEW, 'query') },
    async (request, reply) => {
      const authority = chosenAuthorityOf(request)
      const now = clock.now()
      const first = addDays(londonDate(now), 1 - ACTIVITY_DAYS)
      const [settings, counts] = await Promise.all([
        loadAuthoritySettings(db, authority.id),
        countNotices(db, authority.id, londonInstant(first, '00:00')),
      ])
      return reply.render('authority-settings/views/scheduled-work.njk', {
        pageTitle: SCHEDULED_WORK_TITLE,
        authority,
        links: { overview: forAuthority(paths.authoritySettings.overview(), authority) },
        jobs: jobCards(
          scheduledJobs(JOBS, now),
          settings,
          forAuthority(paths.authoritySettings.reminders(), authority),
        ),
        since: formatDate(first),
        activity: activityTable(counts),
      })
    },
  )
}
