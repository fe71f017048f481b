import type { FastifyPluginAsync } from 'fastify'
import { checkNewPassword } from '../../domain/passwords.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { listPendingInvitations } from './invitations.service.ts'
import { passwordErrors, readCurrentPassword, requestFacts } from './account.form.ts'
import {
  ACCOUNT_TITLES,
  PASSWORD_CHANGED,
  VIEWS,
  currentPasswordRefusedText,
} from './account.presenter.ts'
import { changePassword, endAllSessions } from './account.service.ts'
import type { AccountGroupOptions } from './routes.ts'

/** Your account: who you are signed in as, signing out everywhere, changing your password. */
export const yourAccountRoutes: FastifyPluginAsync<AccountGroupOptions> = async (
  app,
  { db, clock, throttled },
) => {
  app.get(
    paths.account.home(),
    { config: { access: { signedIn: true }, audit: 'none' } },
    async (request, reply) => {
      const user = await db
        .selectFrom('app_user')
        .select(['mfa_enabled_at', 'last_sign_in_at', 'password_changed_at'])
        .where('id', '=', request.user?.id ?? '')
        .executeTakeFirst()
      const invitations = await listPendingInvitations(db, request.user?.id ?? '')
      return reply.render(`${VIEWS}/home.njk`, {
        pageTitle: ACCOUNT_TITLES.home,
        account: user,
        invitations,
      })
    },
  )

  app.post(
    paths.signOutEverywhere(),
    { config: { access: { signedIn: true }, audit: 'sign-out.everywhere' } },
    async (request, reply) => {
      const userId = request.user?.id
      if (userId) await endAllSessions(db, userId)
      await request.session.destroy()
      return reply.redirect(`${paths.signIn()}?notice=everywhere`, 303)
    },
  )

  app.get(
    paths.account.changePassword(),
    { config: { access: { signedIn: true }, audit: 'none' } },
    async (_request, reply) =>
      reply.render(`${VIEWS}/change-password.njk`, { pageTitle: ACCOUNT_TITLES.changePassword }),
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.account.changePassword(),
    {
      config: { access: { signedIn: true }, audit: RECORDED_IN_TRANSACTION, rateLimit: throttled },
    },
    async (request, reply) => {
      const user = request.user
      if (!user) return reply.redirect(paths.signIn(), 303)
      const { current, error } = readCurrentPassword(request.body)
      const check = checkNewPassword(
        request.body?.password,
        request.body?.confirmPassword,
        user.email,
      )
      const fields: Record<string, string | undefined> = {
        currentPassword: error,
        ...(check.ok ? {} : check.fields),
      }
      if (check.ok && current) {
        const changed = await changePassword(db, {
          userId: user.id,
          current,
          password: check.password,
          keepSessionId: request.session.sessionId,
          now: clock.now(),
          request: requestFacts(request),
        })
        if (changed.ok) {
          request.flash('success', PASSWORD_CHANGED)
          return reply.redirect(paths.account.home(), 303)
        }
        if (changed.error.code === 'account.locked-now') {
          // Every session of the account has ended; this browser's goes too.
          await request.session.destroy()
          return reply.redirect(`${paths.signIn()}?notice=locked`, 303)
        }
        fields.currentPassword = currentPasswordRefusedText(changed.error.code)
      }
      return reply.code(400).render(`${VIEWS}/change-password.njk`, {
        pageTitle: ACCOUNT_TITLES.changePassword,
        errors: passwordErrors(fields),
      })
    },
  )
}
