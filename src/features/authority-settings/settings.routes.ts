import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { AuthoritySettings } from '../../domain/authority-settings.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import { paths } from '../../paths.ts'
import type { FormErrors } from '../../forms/validation.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import {
  chosenAuthorityOf,
  decorateChosenAuthority,
  loadAuthority,
} from '../../shared/choose-authority.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import {
  CHANGE,
  VIEW,
  loadSettingsAuthority,
  settingsAuthorityOf,
  type Query,
} from './authority-context.ts'
import { saveSettingsPage } from './authority-settings.service.ts'
import { actorFrom } from '../../shared/actor.ts'
import { listClosureDays } from './closure-days.repository.ts'
import type { AuthoritySettingsRouteOptions } from './routes.ts'
import {
  carersTyped,
  parseCarers,
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
} from './settings.form.ts'
import {
  SETTINGS_PAGE_WORDS,
  SETTINGS_CHOOSE_LEAD,
  SETTINGS_TITLE,
  forAuthority,
  settingsCards,
  settingsLinks,
} from './settings.presenter.ts'

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
    ...SETTINGS_PAGE_WORDS.termWindows,
    parse: parseTermWindows,
    typed: termWindowsTyped,
  },
  {
    path: paths.authoritySettings.timescales(),
    view: 'authority-settings/views/timescales.njk',
    ...SETTINGS_PAGE_WORDS.timescales,
    parse: parseTimescales,
    typed: timescalesTyped,
  },
  {
    path: paths.authoritySettings.reminders(),
    view: 'authority-settings/views/reminders.njk',
    ...SETTINGS_PAGE_WORDS.reminders,
    parse: parseReminders,
    typed: remindersTyped,
  },
  {
    path: paths.authoritySettings.qualityAssurance(),
    view: 'authority-settings/views/quality-assurance.njk',
    ...SETTINGS_PAGE_WORDS.qualityAssurance,
    parse: parseQualityAssurance,
    typed: qualityAssuranceTyped,
  },
  {
    path: paths.authoritySettings.carers(),
    view: 'authority-settings/views/carers.njk',
    ...SETTINGS_PAGE_WORDS.carers,
    parse: parseCarers,
    typed: carersTyped,
  },
] as const satisfies readonly SettingsPage<Partial<AuthoritySettings>>[]

/** The settings overview, and a page to change each group of settings. */
export const settingsRoutes: FastifyPluginAsync<AuthoritySettingsRouteOptions> = async (
  app,
  { db, clock },
) => {
  const preHandler = loadSettingsAuthority(db)

  // The overview: every setting, with links to change them (or, for several authorities, a choice).
  decorateChosenAuthority(app)
  const choose = {
    action: 'authority.settings',
    title: SETTINGS_TITLE,
    href: paths.authoritySettings.overview(),
    lead: SETTINGS_CHOOSE_LEAD,
  } as const
  app.get<{ Querystring: Query }>(
    paths.authoritySettings.overview(),
    { config: VIEW, preHandler: loadAuthority(db, choose, 'query') },
    async (request, reply) => {
      const authority = chosenAuthorityOf(request)
      const today = londonDate(clock.now())
      const [settings, closureDays] = await Promise.all([
        loadAuthoritySettings(db, authority.id),
        listClosureDays(db, authority.id, { from: today, to: '9999-12-31' }),
      ])
      return reply.render('authority-settings/views/overview.njk', {
        pageTitle: SETTINGS_TITLE,
        authority,
        cards: settingsCards(settings, closureDays, settingsLinks(authority)),
        scheduledWork: forAuthority(paths.authoritySettings.scheduledWork(), authority),
        singleSignOn: forAuthority(paths.authoritySettings.singleSignOn(), authority),
        apiClients: forAuthority(paths.apiClients.list(), authority),
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
        links: settingsLinks(authority),
        action: forAuthority(page.path, authority),
        values,
        errors,
      })

    app.get<{ Querystring: Query; Body: Body }>(
      page.path,
      { config: VIEW, preHandler },
      async (request, reply) => {
        const authority = settingsAuthorityOf(request)
        return render(reply, authority, page.typed(await loadAuthoritySettings(db, authority.id)))
      },
    )

    app.post<{ Querystring: Query; Body: Body }>(
      page.path,
      { config: CHANGE, preHandler },
      async (request, reply) => {
        const authority = settingsAuthorityOf(request)
        const form = page.parse(request.body)
        if (!form.ok) return render(reply, authority, form.typed, form.errors)
        await saveSettingsPage(db, actorFrom(request, clock), {
          authorityId: authority.id,
          page: page.title,
          settings: form.value,
        })
        request.flash('success', page.saved)
        return reply.redirect(settingsLinks(authority).overview, 303)
      },
    )
  }
}
