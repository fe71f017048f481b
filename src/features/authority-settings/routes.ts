import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { AuthoritySettings } from '../../domain/authority-settings.ts'
import { isCalendarDate, londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { formatDate } from '../../views/format.ts'
import { pickAuthority, type AuthorityChoice } from '../../shared/authority-scope.ts'
import { saveAuthoritySettings } from './authority-settings.repository.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { addClosureDay, listClosureDays, removeClosureDay } from './closure-days.repository.ts'
import { closureDaySet } from '../../shared/settings.ts'
import {
  DESCRIPTION_MAX,
  parseClosureDay,
  parseQualityAssurance,
  parseReminders,
  parseTermWindows,
  parseTimescales,
  qualityAssuranceTyped,
  remindersTyped,
  termWindowsTyped,
  timescalesTyped,
  type Body,
  type Parsed,
  type Typed,
} from './settings-forms.ts'
import { settingsCards } from './settings.presenter.ts'

/*
 * The authority's settings, for its Virtual School administrators: an overview of every
 * setting, a page to change each group of them, and the closure days that working days skip.
 * An administrator of several authorities chooses one (`?authority=`); another authority's id
 * answers "Page not found".
 */

type Query = { authority?: string }
type Request = FastifyRequest<{ Querystring: Query; Body: Body }>

const VIEW = { access: { action: 'authority.settings' }, audit: 'authority.settings.view' } as const
const CHANGE = { access: { action: 'authority.settings' }, audit: RECORDED_IN_TRANSACTION } as const

/** A settings URL for one authority. */
const forAuthority = (path: string, authority: AuthorityChoice) =>
  `${path}?authority=${encodeURIComponent(authority.id)}`

/** A page that changes a group of settings: its form, template and the settings it holds. */
interface SettingsPage<T extends Partial<AuthoritySettings>> {
  path: string
  view: string
  title: string
  parse(body: Body): Parsed<T>
  typed(settings: AuthoritySettings): Typed
  saved: string
}

const PAGES = [
  {
    path: paths.authoritySettings.termWindows(),
    view: 'authority-settings/views/term-windows.njk',
    title: 'Term windows',
    parse: parseTermWindows,
    typed: termWindowsTyped,
    saved: 'Term windows saved',
  },
  {
    path: paths.authoritySettings.timescales(),
    view: 'authority-settings/views/timescales.njk',
    title: 'Timescales',
    parse: parseTimescales,
    typed: timescalesTyped,
    saved: 'Timescales saved',
  },
  {
    path: paths.authoritySettings.reminders(),
    view: 'authority-settings/views/reminders.njk',
    title: 'Reminders and escalations',
    parse: parseReminders,
    typed: remindersTyped,
    saved: 'Reminders and escalations saved',
  },
  {
    path: paths.authoritySettings.qualityAssurance(),
    view: 'authority-settings/views/quality-assurance.njk',
    title: 'Quality assurance',
    parse: parseQualityAssurance,
    typed: qualityAssuranceTyped,
    saved: 'Quality assurance saved',
  },
] as const satisfies readonly SettingsPage<Partial<AuthoritySettings>>[]

/** The settings that differ, each with its old and new value, for the audit trail. */
function changesBetween(
  before: AuthoritySettings,
  after: Partial<AuthoritySettings>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {}
  for (const [key, value] of Object.entries(after)) {
    const old = before[key as keyof AuthoritySettings]
    if (JSON.stringify(old) !== JSON.stringify(value)) changes[key] = { from: old, to: value }
  }
  return changes
}

export const authoritySettingsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  /** The authority the page works in, or a reply already sent (404, or "choose" on the overview). */
  async function authorityFor(
    request: Request,
    reply: FastifyReply,
  ): Promise<AuthorityChoice | undefined> {
    const pick = await pickAuthority(
      db,
      request.user!,
      'authority.settings',
      request.query.authority,
    )
    if (pick.kind === 'one') return pick.authority
    if (pick.kind === 'choose') {
      await reply.redirect(paths.authoritySettings.overview(), 303)
      return undefined
    }
    await reply.code(404).render('pages/404.njk')
    return undefined
  }

  function links(authority: AuthorityChoice) {
    return {
      overview: forAuthority(paths.authoritySettings.overview(), authority),
      termWindows: forAuthority(paths.authoritySettings.termWindows(), authority),
      timescales: forAuthority(paths.authoritySettings.timescales(), authority),
      reminders: forAuthority(paths.authoritySettings.reminders(), authority),
      qualityAssurance: forAuthority(paths.authoritySettings.qualityAssurance(), authority),
      closureDays: forAuthority(paths.authoritySettings.closureDays(), authority),
    }
  }

  // The overview: every setting, with links to change them.
  app.get<{ Querystring: Query }>(
    paths.authoritySettings.overview(),
    { config: VIEW },
    async (request, reply) => {
      const pick = await pickAuthority(
        db,
        request.user!,
        'authority.settings',
        request.query.authority,
      )
      if (pick.kind === 'not-found') return reply.code(404).render('pages/404.njk')
      if (pick.kind === 'choose') {
        return reply.render('authority-settings/views/choose.njk', {
          pageTitle: 'Settings',
          authorities: pick.authorities.map((authority) => ({
            name: authority.name,
            href: forAuthority(paths.authoritySettings.overview(), authority),
          })),
        })
      }
      const authority = pick.authority
      const today = londonDate(clock.now())
      const [settings, closureDays] = await Promise.all([
        loadAuthoritySettings(db, authority.id),
        listClosureDays(db, authority.id, { from: today, to: '9999-12-31' }),
      ])
      return reply.render('authority-settings/views/overview.njk', {
        pageTitle: 'Settings',
        authority,
        cards: settingsCards(settings, closureDays, links(authority)),
        scheduledWork: forAuthority(paths.authoritySettings.scheduledWork(), authority),
      })
    },
  )

  // One page for each group of settings.
  for (const page of PAGES as readonly SettingsPage<Partial<AuthoritySettings>>[]) {
    const render = (
      reply: FastifyReply,
      authority: AuthorityChoice,
      values: Typed,
      errors?: FormErrors,
    ) =>
      reply.code(errors ? 400 : 200).render(page.view, {
        pageTitle: page.title,
        authority,
        links: links(authority),
        action: forAuthority(page.path, authority),
        values,
        errors,
      })

    app.get<{ Querystring: Query; Body: Body }>(
      page.path,
      { config: VIEW },
      async (request, reply) => {
        const authority = await authorityFor(request, reply)
        if (!authority) return reply
        return render(reply, authority, page.typed(await loadAuthoritySettings(db, authority.id)))
      },
    )

    app.post<{ Querystring: Query; Body: Body }>(
      page.path,
      { config: CHANGE },
      async (request, reply) => {
        const authority = await authorityFor(request, reply)
        if (!authority) return reply
        const form = page.parse(request.body)
        if (!form.ok) return render(reply, authority, form.typed, form.errors)
        await db.transaction().execute(async (trx) => {
          const before = await loadAuthoritySettings(trx, authority.id)
          const changes = changesBetween(before, form.value)
          await saveAuthoritySettings(trx, authority.id, form.value, clock.now())
          await request.audit(
            {
              action: 'authority.settings.update',
              outcome: 'success',
              authorityId: authority.id,
              details: { page: page.title, changes },
            },
            trx,
          )
        })
        request.flash('success', page.saved)
        return reply.redirect(links(authority).overview, 303)
      },
    )
  }

  // Closure days: the list, with a form to add one and a button to remove each.
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
        pageTitle: 'Closure days',
        authority,
        links: links(authority),
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
    { config: VIEW },
    async (request, reply) => {
      const authority = await authorityFor(request, reply)
      if (!authority) return reply
      return renderClosureDays(reply, authority)
    },
  )

  app.post<{ Querystring: Query; Body: Body }>(
    paths.authoritySettings.closureDays(),
    { config: CHANGE },
    async (request, reply) => {
      const authority = await authorityFor(request, reply)
      if (!authority) return reply
      const form = parseClosureDay(request.body, await closureDaySet(db, authority.id))
      if (!form.ok)
        return renderClosureDays(reply, authority, { values: form.typed, errors: form.errors })
      const { onDate, description } = form.value
      const added = await db.transaction().execute(async (trx) => {
        const added = await addClosureDay(trx, authority.id, {
          onDate,
          description,
          createdBy: request.user!.id,
          at: clock.now(),
        })
        if (added)
          await request.audit(
            {
              action: 'authority.closure-day.add',
              outcome: 'success',
              authorityId: authority.id,
              details: { onDate, description },
            },
            trx,
          )
        return added
      })
      if (!added) {
        // Someone else added the same day meanwhile.
        const again = parseClosureDay(request.body, await closureDaySet(db, authority.id))
        if (!again.ok)
          return renderClosureDays(reply, authority, { values: again.typed, errors: again.errors })
      }
      request.flash('success', `${formatDate(onDate)} added as a closure day`)
      return reply.redirect(links(authority).closureDays, 303)
    },
  )

  app.post<{ Params: { date: string }; Querystring: Query; Body: Body }>(
    paths.authoritySettings.removeClosureDay(':date'),
    { config: CHANGE },
    async (request, reply) => {
      const authority = await authorityFor(request, reply)
      if (!authority) return reply
      const { date } = request.params
      if (!isCalendarDate(date)) return reply.code(404).render('pages/404.njk')
      const removed = await db.transaction().execute(async (trx) => {
        const removed = await removeClosureDay(trx, authority.id, date)
        if (removed)
          await request.audit(
            {
              action: 'authority.closure-day.remove',
              outcome: 'success',
              authorityId: authority.id,
              details: { onDate: removed.onDate, description: removed.description },
            },
            trx,
          )
        return removed
      })
      if (!removed) return reply.code(404).render('pages/404.njk')
      request.flash('success', `${formatDate(date)} is no longer a closure day`)
      return reply.redirect(links(authority).closureDays, 303)
    },
  )
}
