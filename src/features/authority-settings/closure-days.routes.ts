import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { isCalendarDate } from '../../domain/calendar-date.ts'
import { paths } from '../../paths.ts'
import type { FormErrors } from '../../forms/validation.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import { closureDaySet } from '../../shared/settings.ts'
import { formatDate } from '../../views/format.ts'
import {
  CHANGE,
  VIEW,
  loadSettingsAuthority,
  notFound,
  settingsAuthorityOf,
  type Query,
} from './authority-context.ts'
import { listClosureDays } from './closure-days.repository.ts'
import { addAuthorityClosureDay, removeAuthorityClosureDay } from './authority-settings.service.ts'
import { actorFrom } from '../../shared/actor.ts'
import type { AuthoritySettingsRouteOptions } from './routes.ts'
import { DESCRIPTION_MAX, parseClosureDay, type Body, type Typed } from './settings.form.ts'
import {
  CLOSURE_DAYS_TITLE,
  closureDayAddedText,
  closureDayRemovedText,
  forAuthority,
  settingsLinks,
} from './settings.presenter.ts'

/** Closure days: the list, with a form to add one and a button to remove each. */
export const closureDayRoutes: FastifyPluginAsync<AuthoritySettingsRouteOptions> = async (
  app,
  { db, clock },
) => {
  const preHandler = loadSettingsAuthority(db)

  async function renderClosureDays(
    reply: FastifyReply,
    authority: AuthorityChoice,
    state: { values?: Typed; errors?: FormErrors } = {},
  ) {
    const days = await listClosureDays(db, authority.id)
    const values = state.values ?? {}
    return reply
      .code(state.errors ? 400 : 200)
      .render('authority-settings/views/closure-days.njk', {
        pageTitle: CLOSURE_DAYS_TITLE,
        authority,
        links: settingsLinks(authority),
        action: forAuthority(paths.authoritySettings.closureDays(), authority),
        days: days.map((day) => ({
          date: formatDate(day.onDate),
          description: day.description,
          removeAction: forAuthority(
            paths.authoritySettings.removeClosureDay(day.onDate),
            authority,
          ),
        })),
        descriptionMax: DESCRIPTION_MAX,
        values: {
          description: values.description,
          date: { day: values['date-day'], month: values['date-month'], year: values['date-year'] },
        },
        errors: state.errors,
      })
  }

  app.get<{ Querystring: Query; Body: Body }>(
    paths.authoritySettings.closureDays(),
    { config: VIEW, preHandler },
    async (request, reply) => renderClosureDays(reply, settingsAuthorityOf(request)),
  )

  app.post<{ Querystring: Query; Body: Body }>(
    paths.authoritySettings.closureDays(),
    { config: CHANGE, preHandler },
    async (request, reply) => {
      const authority = settingsAuthorityOf(request)
      const form = parseClosureDay(request.body, await closureDaySet(db, authority.id))
      if (!form.ok)
        return renderClosureDays(reply, authority, { values: form.typed, errors: form.errors })
      const { onDate, description } = form.value
      const added = await addAuthorityClosureDay(db, actorFrom(request, clock), {
        authorityId: authority.id,
        onDate,
        description,
      })
      if (!added.ok) {
        // Someone else added the same day meanwhile.
        const again = parseClosureDay(request.body, await closureDaySet(db, authority.id))
        if (!again.ok)
          return renderClosureDays(reply, authority, { values: again.typed, errors: again.errors })
      }
      request.flash('success', closureDayAddedText(onDate))
      return reply.redirect(settingsLinks(authority).closureDays, 303)
    },
  )

  app.post<{ Params: { date: string }; Querystring: Query; Body: Body }>(
    paths.authoritySettings.removeClosureDay(':date'),
    { config: CHANGE, preHandler },
    async (request, reply) => {
      const authority = settingsAuthorityOf(request)
      const { date } = request.params
      if (!isCalendarDate(date)) return notFound(reply)
      const removed = await removeAuthorityClosureDay(db, actorFrom(request, clock), {
        authorityId: authority.id,
        onDate: date,
      })
      if (!removed.ok) return notFound(reply)
      request.flash('success', closureDayRemovedText(date))
      return reply.redirect(settingsLinks(authority).closureDays, 303)
    },
  )
}
