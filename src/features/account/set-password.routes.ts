import type { FastifyPluginAsync } from 'fastify'
import { checkNewPassword } from '../../domain/passwords.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { mfaRequiredFor } from '../auth/auth.service.ts'
import { completeSignIn, startPendingSignIn } from '../auth/sign-in.session.ts'
import { passwordErrors, requestFacts } from './account.form.ts'
import { setPasswordPage, setPasswordTitle } from './account.presenter.ts'
import { setPasswordWithToken, TokenNoLongerValid } from './account.service.ts'
import { listPendingInvitations } from './invitations.service.ts'
import type { AccountGroupOptions } from './routes.ts'
import { linkExpired, loadTokenUser, tokenUserOf, type TokenPurpose } from './token-context.ts'

/** Links from emails: an invitation and a password reset both set a password. */
export const setPasswordRoutes: FastifyPluginAsync<AccountGroupOptions> = async (
  app,
  { db, clock, throttled },
) => {
  const tokenRoutes = (purpose: TokenPurpose) => {
    const path =
      purpose === 'invitation'
        ? paths.account.acceptInvitation(':token')
        : paths.account.resetPassword(':token')
    const action = (token: string) =>
      purpose === 'invitation'
        ? paths.account.acceptInvitation(token)
        : paths.account.resetPassword(token)
    const preHandler = loadTokenUser(db, clock, purpose)

    app.get<{ Params: { token: string } }>(
      path,
      { config: { access: { public: true }, audit: 'none' }, preHandler },
      async (request, reply) => {
        const user = tokenUserOf(request)
        return reply.render(setPasswordPage(purpose), {
          pageTitle: setPasswordTitle(purpose),
          action: action(request.params.token),
          email: user.email,
          joining: purpose === 'invitation' ? await listPendingInvitations(db, user.id) : [],
        })
      },
    )

    app.post<{ Params: { token: string }; Body: Record<string, unknown> }>(
      path,
      {
        config: { access: { public: true }, audit: RECORDED_IN_TRANSACTION, rateLimit: throttled },
        preHandler,
      },
      async (request, reply) => {
        const token = request.params.token
        const user = tokenUserOf(request)
        const check = checkNewPassword(
          request.body?.password,
          request.body?.confirmPassword,
          user.email,
        )
        if (!check.ok) {
          return reply.code(400).render(setPasswordPage(purpose), {
            pageTitle: setPasswordTitle(purpose),
            action: action(token),
            email: user.email,
            errors: passwordErrors(check.fields),
          })
        }
        const now = clock.now()
        let userId: string | undefined
        try {
          userId = await setPasswordWithToken(db, {
            token,
            purpose,
            password: check.password,
            now,
            request: requestFacts(request),
          })
        } catch (error) {
          if (!(error instanceof TokenNoLongerValid)) throw error
        }
        if (!userId) return linkExpired(reply, purpose)
        if (purpose === 'password_reset') {
          // This browser's session went with the others; a fresh one signs in afresh.
          return reply.redirect(`${paths.signIn()}?notice=password-reset`, 303)
        }
        if (await mfaRequiredFor(db, userId)) {
          await startPendingSignIn(request, userId, paths.home(), now)
          return reply.redirect(paths.account.setUpMfa(), 303)
        }
        await completeSignIn(request, db, userId, now, 'invitation')
        return reply.redirect(paths.home(), 303)
      },
    )
  }
  tokenRoutes('invitation')
  tokenRoutes('password_reset')
}
