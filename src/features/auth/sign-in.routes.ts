import type { FastifyPluginAsync } from 'fastify'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { validateForm } from '../../forms/validation.ts'
import { NOTICES } from './auth.presenter.ts'
import { signInSchema } from './auth.schemas.ts'
import { checkCredentials, refusePasswordSignIn } from './auth.service.ts'
import { signingInActor } from '../../shared/actor.ts'
import { singleSignOnFor } from '../sso/sso.service.ts'
import { completeSignIn, startPendingSignIn } from './sign-in.session.ts'
import { signInSteps, type SignInGroupOptions } from './sign-in-steps.form.ts'
import { passwordsOffErrors, safeReturnTo, signInErrors, stringField } from './sign-in.form.ts'

/** Signing in with an email address and password (the first step), and signing out. */
export const signInRoutes: FastifyPluginAsync<SignInGroupOptions> = async (
  app,
  { db, clock, throttled },
) => {
  const { renderSignIn } = signInSteps(db, clock)

  app.get<{ Querystring: { returnTo?: string; notice?: string } }>(
    paths.signIn(),
    { config: { access: { public: true }, audit: 'none' } },
    async (request, reply) => {
      if (request.user) return reply.redirect(paths.home())
      const notice = NOTICES[request.query.notice ?? '']
      return renderSignIn(reply, { returnTo: safeReturnTo(request.query.returnTo), notice })
    },
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.signIn(),
    { config: { access: { public: true }, audit: RECORDED_IN_TRANSACTION, rateLimit: throttled } },
    async (request, reply) => {
      const returnTo = safeReturnTo(request.body?.returnTo)
      const values = { email: stringField(request.body, 'email') }
      // Email first (ADR 14): an address in an authority's single sign-on domain, with no
      // password, is sent to its provider. The domain alone decides, so nothing says whether
      // the address has an account.
      const sso = await singleSignOnFor(db, values.email)
      if (sso && stringField(request.body, 'password') === '')
        return reply.redirect(
          `${paths.singleSignOn(sso.provider.id)}?returnTo=${encodeURIComponent(returnTo)}`,
          303,
        )
      const form = validateForm(signInSchema, request.body, {})
      if (!form.ok) {
        return renderSignIn(reply.code(400), { returnTo, values, errors: form.errors })
      }
      if (sso && !sso.passwordsAllowed) {
        // Refused before the password is looked at: the authority has switched passwords off.
        await refusePasswordSignIn(db, signingInActor(request, clock), {
          email: form.value.email,
          providerId: sso.provider.id,
        })
        return renderSignIn(reply.code(400), {
          returnTo,
          values,
          errors: passwordsOffErrors(sso.authorityName, sso.provider.name),
          singleSignOn: {
            name: sso.provider.name,
            href: `${paths.singleSignOn(sso.provider.id)}?returnTo=${encodeURIComponent(returnTo)}`,
          },
        })
      }
      const actor = signingInActor(request, clock)
      const now = actor.now
      const result = await checkCredentials(db, actor, form.value)
      if (result.kind !== 'ok') {
        const locked = result.kind === 'locked' || result.locked
        const errors = signInErrors(locked)
        return renderSignIn(reply.code(400), { returnTo, values, errors })
      }
      if (result.mfa === 'none') {
        await completeSignIn(request, db, result.userId, now, 'password')
        return reply.redirect(returnTo, 303)
      }
      await startPendingSignIn(request, result.userId, returnTo, now)
      return reply.redirect(
        result.mfa === 'verify' ? paths.securityCode() : paths.account.setUpMfa(),
        303,
      )
    },
  )

  // The timeout warning's "Stay signed in": any signed-in request keeps the session alive (it
  // is rolling); this one does nothing else, so a page can ask for it without leaving.
  app.get(
    paths.keepAlive(),
    { config: { access: { signedIn: true }, audit: 'none' } },
    async (_request, reply) => reply.header('cache-control', 'no-store').send({ signedIn: true }),
  )

  app.post(
    paths.signOut(),
    { config: { access: { signedIn: true }, audit: 'sign-out' } },
    async (request, reply) => {
      const providerId = request.session.ssoProviderId
      await request.session.destroy()
      // Signed in through their organisation: the next page offers its sign-out too.
      if (providerId)
        return reply.redirect(
          `${paths.signedOut()}?provider=${encodeURIComponent(providerId)}`,
          303,
        )
      return reply.redirect(paths.signIn(), 303)
    },
  )
}
