import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { FormErrors } from '../../forms/validation.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { CHANGE, VIEW, loadSsoAuthority, loadSsoProvider, notFound } from './provider-context.ts'
import {
  domainsTakenErrors,
  readPasswordsForm,
  readProviderForm,
  type ProviderTyped,
} from './providers.form.ts'
import {
  SAVED,
  forAuthority,
  passwordsFormModel,
  providerFormModel,
  ssoOverviewModel,
} from './providers.presenter.ts'
import {
  addProvider,
  changeProvider,
  removeProvider,
  setPasswordsAllowed,
} from './providers.service.ts'
import type { SsoRouteOptions } from './routes.ts'
import {
  accountsOnFirstSignIn,
  listProviders,
  passwordsAllowed,
  type ProviderRow,
} from './sso.repository.ts'

type Body = Record<string, unknown> | undefined
const PROVIDER_VIEW = 'sso/views/provider.njk'

/**
 * An authority's single sign-on settings (Virtual School administrators of that authority only):
 * its providers, each added, changed or removed, and whether passwords may still be used.
 */
export const providerRoutes: FastifyPluginAsync<SsoRouteOptions> = async (
  app,
  { db, clock, baseUrl, mfaKeys },
) => {
  const authorityStep = loadSsoAuthority(db)
  const providerStep = loadSsoProvider(db)
  const callbackUrl = new URL(paths.singleSignOnCallback(), baseUrl).href
  const signedOutUrl = new URL(paths.signIn(), baseUrl).href

  const renderProvider = (
    reply: FastifyReply,
    request: FastifyRequest,
    provider: ProviderRow | null,
    state: { values: ProviderTyped; errors?: FormErrors },
  ) =>
    reply.code(state.errors ? 400 : 200).render(PROVIDER_VIEW, {
      ...providerFormModel(request.ssoAuthority!, provider, callbackUrl),
      values: state.values,
      errors: state.errors,
    })

  app.get(
    paths.authoritySettings.singleSignOn(),
    { config: VIEW, preHandler: authorityStep },
    async (request, reply) => {
      const authority = request.ssoAuthority!
      const [providers, allowed] = await Promise.all([
        listProviders(db, authority.id),
        passwordsAllowed(db, authority.id),
      ])
      return reply.render(
        'sso/views/overview.njk',
        ssoOverviewModel(authority, providers, allowed, callbackUrl, signedOutUrl),
      )
    },
  )

  app.get(
    paths.authoritySettings.newProvider(),
    { config: VIEW, preHandler: authorityStep },
    async (request, reply) =>
      renderProvider(reply, request, null, {
        values: { name: '', issuer: '', clientId: '', domains: '' },
      }),
  )

  app.post<{ Body: Body }>(
    paths.authoritySettings.newProvider(),
    { config: CHANGE, preHandler: authorityStep },
    async (request, reply) => {
      const authority = request.ssoAuthority!
      const form = readProviderForm(request.body, true)
      if (!form.ok) return renderProvider(reply, request, null, form)
      const result = await addProvider(db, actorFrom(request, clock), {
        ...form.value,
        authorityId: authority.id,
        keyring: mfaKeys,
      })
      if (!result.ok)
        return renderProvider(reply, request, null, {
          values: typedOf(request.body),
          errors: domainsTakenErrors(String(result.error.params?.domains ?? '').split(', ')),
        })
      request.flash('success', SAVED.added(form.value.name))
      return reply.redirect(forAuthority(paths.authoritySettings.singleSignOn(), authority), 303)
    },
  )

  app.get(
    paths.authoritySettings.provider(':providerId'),
    { config: VIEW, preHandler: providerStep },
    async (request, reply) => {
      const provider = request.ssoProvider!
      return renderProvider(reply, request, provider, {
        values: {
          name: provider.name,
          issuer: provider.issuer,
          clientId: provider.clientId,
          domains: provider.domains.join(', '),
        },
      })
    },
  )

  app.post<{ Body: Body }>(
    paths.authoritySettings.provider(':providerId'),
    { config: CHANGE, preHandler: providerStep },
    async (request, reply) => {
      const provider = request.ssoProvider!
      const authority = request.ssoAuthority!
      const form = readProviderForm(request.body, false)
      if (!form.ok) return renderProvider(reply, request, provider, form)
      const result = await changeProvider(db, actorFrom(request, clock), {
        ...form.value,
        authorityId: authority.id,
        providerId: provider.id,
        keyring: mfaKeys,
      })
      if (!result.ok) {
        if (result.error.code === 'sso.provider.not-found') return notFound(reply)
        return renderProvider(reply, request, provider, {
          values: typedOf(request.body),
          errors: domainsTakenErrors(String(result.error.params?.domains ?? '').split(', ')),
        })
      }
      request.flash('success', SAVED.changed(form.value.name))
      return reply.redirect(forAuthority(paths.authoritySettings.singleSignOn(), authority), 303)
    },
  )

  app.post(
    paths.authoritySettings.removeProvider(':providerId'),
    { config: CHANGE, preHandler: providerStep },
    async (request, reply) => {
      const provider = request.ssoProvider!
      const authority = request.ssoAuthority!
      const result = await removeProvider(db, actorFrom(request, clock), {
        authorityId: authority.id,
        providerId: provider.id,
      })
      if (!result.ok) return notFound(reply)
      request.flash('success', SAVED.removed(provider.name))
      return reply.redirect(forAuthority(paths.authoritySettings.singleSignOn(), authority), 303)
    },
  )

  app.get(
    paths.authoritySettings.passwords(),
    { config: VIEW, preHandler: authorityStep },
    async (request, reply) => {
      const authority = request.ssoAuthority!
      const allowed = await passwordsAllowed(db, authority.id)
      const accounts = await accountsOnFirstSignIn(db, authority.id)
      return reply.render('sso/views/passwords.njk', {
        ...passwordsFormModel(authority),
        values: {
          passwordsAllowed: allowed ? 'yes' : 'no',
          accountsOnFirstSignIn: accounts ? 'yes' : 'no',
        },
      })
    },
  )

  app.post<{ Body: Body }>(
    paths.authoritySettings.passwords(),
    { config: CHANGE, preHandler: authorityStep },
    async (request, reply) => {
      const authority = request.ssoAuthority!
      const form = readPasswordsForm(request.body, await accountsOnFirstSignIn(db, authority.id))
      if (!form.ok)
        return reply.code(400).render('sso/views/passwords.njk', {
          ...passwordsFormModel(authority),
          values: form.values,
          errors: form.errors,
        })
      await setPasswordsAllowed(db, actorFrom(request, clock), {
        authorityId: authority.id,
        allowed: form.value.passwordsAllowed,
        accountsOnFirstSignIn: form.value.accountsOnFirstSignIn,
      })
      request.flash('success', form.value.passwordsAllowed ? SAVED.passwordsOn : SAVED.passwordsOff)
      return reply.redirect(forAuthority(paths.authoritySettings.singleSignOn(), authority), 303)
    },
  )
}

function typedOf(body: Body): ProviderTyped {
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  return {
    name: text(body?.name),
    issuer: text(body?.issuer),
    clientId: text(body?.clientId),
    domains: text(body?.domains),
  }
}
