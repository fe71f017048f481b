import type { FastifyPluginAsync } from 'fastify'
import { paths } from '../../paths.ts'
import { completeSignIn } from '../auth/sign-in.session.ts'
import { safeReturnTo } from '../auth/sign-in.form.ts'
import type { SsoRouteOptions } from './routes.ts'
import {
  EMAIL_FIRST_TITLE,
  SIGNED_OUT_TITLE,
  continueTitle,
  refusalWords,
} from './sign-in.presenter.ts'
import { takePendingSso } from './sso.session.ts'
import { loadSignInProvider, signInProviderOf } from './provider-context.ts'
import {
  beginSignIn,
  findSignInProvider,
  finishSignIn,
  providerSignOutUrl,
  singleSignOnFor,
} from './sso.service.ts'
import { validateForm } from '../../forms/validation.ts'
import { signInSchema } from '../auth/auth.schemas.ts'
import { signInSteps } from '../auth/sign-in-steps.form.ts'
import { signingInActor } from '../../shared/actor.ts'

const PUBLIC = { access: { public: true } } as const

/**
 * Signing in through an authority's provider: the page that sends a person there (reached from
 * the sign-in page by an address in the provider's domains), the start (a new state, nonce and
 * PKCE verifier in the session, then off to the provider), the provider's answer, and the page
 * after signing out that offers the provider's own sign-out.
 */
export const ssoSignInRoutes: FastifyPluginAsync<SsoRouteOptions> = async (
  app,
  { db, clock, baseUrl, mfaKeys },
) => {
  const { renderSignIn } = signInSteps(db, clock)
  const redirectUri = new URL(paths.singleSignOnCallback(), baseUrl).href
  const signInUrl = new URL(paths.signIn(), baseUrl).href

  const preHandler = loadSignInProvider(db)

  /*
   * Email first: a person types their address; one in a single sign-on domain goes to its
   * provider, any other to the password, on the sign-in page with the address kept. The domain
   * alone decides, so the answer says nothing about who has an account.
   */
  app.get<{ Querystring: { returnTo?: string } }>(
    paths.signInEmail(),
    { config: { ...PUBLIC, audit: 'none' } },
    async (request, reply) => {
      if (request.user) return reply.redirect(paths.home())
      return reply.render('sso/views/email-first.njk', {
        pageTitle: EMAIL_FIRST_TITLE,
        values: {},
        returnTo: safeReturnTo(request.query.returnTo),
      })
    },
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.signInEmail(),
    { config: { ...PUBLIC, audit: 'none' } },
    async (request, reply) => {
      if (request.user) return reply.redirect(paths.home())
      const returnTo = safeReturnTo(request.body?.returnTo)
      const typed = typeof request.body?.email === 'string' ? request.body.email : ''
      const form = validateForm(signInSchema.pick({ email: true }), { email: typed })
      if (!form.ok)
        return reply.code(400).render('sso/views/email-first.njk', {
          pageTitle: EMAIL_FIRST_TITLE,
          values: { email: typed },
          errors: form.errors,
          returnTo,
        })
      const sso = await singleSignOnFor(db, form.value.email)
      if (sso)
        return reply.redirect(
          `${paths.singleSignOn(sso.provider.id)}?returnTo=${encodeURIComponent(returnTo)}`,
          303,
        )
      return renderSignIn(reply, { values: { email: form.value.email }, returnTo })
    },
  )

  app.get<{ Params: { providerId: string }; Querystring: { returnTo?: string } }>(
    paths.singleSignOn(':providerId'),
    { config: { ...PUBLIC, audit: 'none' }, preHandler },
    async (request, reply) => {
      if (request.user) return reply.redirect(paths.home())
      const found = signInProviderOf(request)
      const returnTo = safeReturnTo(request.query.returnTo)
      return reply.render('sso/views/continue.njk', {
        pageTitle: continueTitle(found.provider.name),
        providerName: found.provider.name,
        authorityName: found.authorityName,
        start: `${paths.singleSignOnStart(found.provider.id)}?returnTo=${encodeURIComponent(returnTo)}`,
        signIn: paths.signIn(),
      })
    },
  )

  app.get<{ Params: { providerId: string }; Querystring: { returnTo?: string } }>(
    paths.singleSignOnStart(':providerId'),
    { config: { ...PUBLIC, audit: 'sign-in.sso-started' }, preHandler },
    async (request, reply) => {
      if (request.user) return reply.redirect(paths.home())
      const found = signInProviderOf(request)
      let started
      try {
        started = await beginSignIn(found.provider, {
          keyring: mfaKeys,
          redirectUri,
          returnTo: safeReturnTo(request.query.returnTo),
          now: clock.now(),
        })
      } catch (error) {
        request.log.warn({ err: error, providerId: found.provider.id }, 'provider discovery failed')
        const words = refusalWords('sso.provider.refused', found.authorityName)
        return reply.code(502).render('sso/views/refused.njk', { pageTitle: words.title, ...words })
      }
      request.session.ssoPending = started.pending
      return reply.redirect(started.url.href, 302)
    },
  )

  app.get(
    paths.singleSignOnCallback(),
    { config: { ...PUBLIC, audit: 'none' } },
    async (request, reply) => {
      const pending = takePendingSso(request)
      const actor = signingInActor(request, clock)
      const now = actor.now
      const result = await finishSignIn(db, actor, {
        pending,
        currentUrl: new URL(request.url, baseUrl),
        keyring: mfaKeys,
      })
      if (!result.ok) {
        const providerId = pending?.providerId ?? null
        const found = providerId ? await findSignInProvider(db, providerId) : undefined
        const words = refusalWords(result.error.code, found?.authorityName ?? null)
        const status = result.error.code.startsWith('sso.state') ? 400 : 403
        return reply.code(status).render('sso/views/refused.njk', {
          pageTitle: words.title,
          ...words,
          signIn: paths.signIn(),
        })
      }
      const signIn = result.value
      await completeSignIn(request, db, signIn.userId, now, 'single-sign-on', undefined, {
        providerId: signIn.providerId,
        authorityId: signIn.authorityId,
        amr: signIn.amr,
        acr: signIn.acr,
        ...(signIn.created ? { accountCreated: true } : {}),
      })
      request.session.ssoProviderId = signIn.providerId
      return reply.redirect(pending!.returnTo, 303)
    },
  )

  app.get<{ Querystring: { provider?: string } }>(
    paths.signedOut(),
    { config: { ...PUBLIC, audit: 'none' } },
    async (request, reply) => {
      if (request.user) return reply.redirect(paths.home())
      const found = request.query.provider
        ? await findSignInProvider(db, request.query.provider)
        : undefined
      const providerSignOut = found
        ? await providerSignOutUrl(found.provider, {
            keyring: mfaKeys,
            postLogoutRedirectUri: signInUrl,
          })
        : undefined
      return reply.render('sso/views/signed-out.njk', {
        pageTitle: SIGNED_OUT_TITLE,
        providerName: found?.provider.name,
        providerSignOut: providerSignOut?.href,
        signIn: paths.signIn(),
      })
    },
  )
}
