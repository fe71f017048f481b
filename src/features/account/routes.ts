import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { checkNewPassword } from '../../domain/passwords.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { validateForm, type FormErrors } from '../../forms/validation.ts'
import { mfaRequiredFor } from '../auth/auth.service.ts'
import { SIGN_IN_MESSAGES } from '../auth/auth.presenter.ts'
import { completeSignIn, startPendingSignIn } from '../auth/sign-in-session.ts'
import {
  attemptLimit,
  DEFAULT_ATTEMPT_LIMIT,
  registerAttemptLimits,
  type AttemptLimit,
} from '../auth/throttle.ts'
import { findValidAccountToken } from './account-tokens.ts'
import { invitationRoutes } from './invitations.routes.ts'
import { listPendingInvitations } from './invitations.service.ts'
import {
  changePassword,
  endAllSessions,
  findTokenUser,
  remindAccounts,
  requestPasswordReset,
  setPasswordWithToken,
  TokenNoLongerValid,
  type RequestFacts,
} from './account.service.ts'

export interface AccountRouteOptions {
  db: Database
  clock: Clock
  baseUrl: string
  attemptLimit?: AttemptLimit
}

const VIEWS = 'account/views'
const MAX_REMINDER_ADDRESSES = 5
const EMAIL_FORMAT = 'Enter an email address in the correct format, like name@example.org'

const emailSchema = z.object({
  email: z
    .string({ error: 'Enter your email address' })
    .trim()
    .min(1, 'Enter your email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .pipe(z.email({ error: EMAIL_FORMAT })),
})

const emailLine = z.email()

function requestFacts(request: FastifyRequest): RequestFacts {
  return {
    method: request.method,
    path: request.url.split('/').slice(0, 3).join('/'),
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    requestId: request.id,
  }
}

function passwordErrors(fields: Record<string, string | undefined>): FormErrors {
  const errors: FormErrors = { list: [], fields: {} }
  for (const [name, text] of Object.entries(fields)) {
    if (!text) continue
    errors.fields[name] = { text }
    errors.list.push({ text, href: `#${name}` })
  }
  return errors
}

export const accountRoutes: FastifyPluginAsync<AccountRouteOptions> = async (
  app,
  { db, clock, baseUrl, attemptLimit: limit = DEFAULT_ATTEMPT_LIMIT },
) => {
  await registerAttemptLimits(app, db, clock)
  await app.register(invitationRoutes, { db, clock })
  const throttled = attemptLimit(limit, 'account-email')

  // Your account: who you are signed in as, and signing out everywhere.
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
      return reply.render(`${VIEWS}/home.njk`, { account: user, invitations })
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
    async (_request, reply) => reply.render(`${VIEWS}/change-password.njk`),
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.account.changePassword(),
    {
      config: { access: { signedIn: true }, audit: RECORDED_IN_TRANSACTION, rateLimit: throttled },
    },
    async (request, reply) => {
      const user = request.user
      if (!user) return reply.redirect(paths.signIn(), 303)
      const current =
        typeof request.body?.currentPassword === 'string' ? request.body.currentPassword : ''
      const check = checkNewPassword(
        request.body?.password,
        request.body?.confirmPassword,
        user.email,
      )
      const fields: Record<string, string | undefined> = {
        currentPassword: current ? undefined : 'Enter your current password',
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
          request.flash(
            'success',
            'Your password has been changed. You have been signed out on every other device.',
          )
          return reply.redirect(paths.account.home(), 303)
        }
        if (changed.error.code === 'account.locked-now') {
          // Every session of the account has ended; this browser's goes too.
          await request.session.destroy()
          return reply.redirect(`${paths.signIn()}?notice=locked`, 303)
        }
        fields.currentPassword =
          changed.error.code === 'account.locked'
            ? SIGN_IN_MESSAGES.locked
            : 'Your current password is not correct'
      }
      return reply
        .code(400)
        .render(`${VIEWS}/change-password.njk`, { errors: passwordErrors(fields) })
    },
  )

  // Links from emails: an invitation and a password reset both set a password.
  const linkExpired = (reply: FastifyReply, purpose: 'invitation' | 'password_reset') =>
    reply.code(404).render(`${VIEWS}/link-expired.njk`, { purpose })

  const setPasswordPage = (purpose: 'invitation' | 'password_reset') =>
    purpose === 'invitation' ? `${VIEWS}/accept-invitation.njk` : `${VIEWS}/reset-password.njk`

  const tokenRoutes = (purpose: 'invitation' | 'password_reset') => {
    const path =
      purpose === 'invitation'
        ? paths.account.acceptInvitation(':token')
        : paths.account.resetPassword(':token')
    const action = (token: string) =>
      purpose === 'invitation'
        ? paths.account.acceptInvitation(token)
        : paths.account.resetPassword(token)
    const userFor = async (token: string) => {
      const found = await findValidAccountToken(db, token, purpose, clock.now())
      const user = found ? await findTokenUser(db, found.user_id) : undefined
      const usable = purpose === 'invitation' ? 'invited' : 'active'
      return user?.status === usable ? user : undefined
    }

    app.get<{ Params: { token: string } }>(
      path,
      { config: { access: { public: true }, audit: 'none' } },
      async (request, reply) => {
        const user = await userFor(request.params.token)
        if (!user) return linkExpired(reply, purpose)
        return reply.render(setPasswordPage(purpose), {
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
      },
      async (request, reply) => {
        const token = request.params.token
        const user = await userFor(token)
        if (!user) return linkExpired(reply, purpose)
        const check = checkNewPassword(
          request.body?.password,
          request.body?.confirmPassword,
          user.email,
        )
        if (!check.ok) {
          return reply.code(400).render(setPasswordPage(purpose), {
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

  // Forgotten password: always the same answer, whether or not the address has an account.
  app.get(
    paths.account.forgottenPassword(),
    { config: { access: { public: true }, audit: 'none' } },
    async (_request, reply) => reply.render(`${VIEWS}/forgotten-password.njk`, { values: {} }),
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.account.forgottenPassword(),
    { config: { access: { public: true }, audit: RECORDED_IN_TRANSACTION, rateLimit: throttled } },
    async (request, reply) => {
      const form = validateForm(emailSchema, request.body)
      if (!form.ok) {
        const email = typeof request.body?.email === 'string' ? request.body.email : ''
        return reply
          .code(400)
          .render(`${VIEWS}/forgotten-password.njk`, { values: { email }, errors: form.errors })
      }
      await requestPasswordReset(db, {
        email: form.value.email,
        baseUrl,
        now: clock.now(),
        request: requestFacts(request),
      })
      return reply.redirect(paths.account.forgottenPasswordSent(), 303)
    },
  )

  app.get(
    paths.account.forgottenPasswordSent(),
    { config: { access: { public: true }, audit: 'none' } },
    async (_request, reply) => reply.render(`${VIEWS}/forgotten-password-sent.njk`),
  )

  // Forgotten email address: they list the addresses they might use; each with an account is told so.
  app.get(
    paths.account.forgottenEmail(),
    { config: { access: { public: true }, audit: 'none' } },
    async (_request, reply) => reply.render(`${VIEWS}/forgotten-email.njk`, { values: {} }),
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.account.forgottenEmail(),
    { config: { access: { public: true }, audit: RECORDED_IN_TRANSACTION, rateLimit: throttled } },
    async (request, reply) => {
      const typed = typeof request.body?.emails === 'string' ? request.body.emails : ''
      const lines = typed
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
      const problem =
        lines.length === 0
          ? 'Enter at least one email address'
          : lines.length > MAX_REMINDER_ADDRESSES
            ? `Enter no more than ${MAX_REMINDER_ADDRESSES} email addresses`
            : lines.some((line) => line.length > 254 || !emailLine.safeParse(line).success)
              ? `${EMAIL_FORMAT}, one on each line`
              : null
      if (problem) {
        return reply.code(400).render(`${VIEWS}/forgotten-email.njk`, {
          values: { emails: typed },
          errors: {
            list: [{ text: problem, href: '#emails' }],
            fields: { emails: { text: problem } },
          },
        })
      }
      await remindAccounts(db, {
        emails: lines,
        baseUrl,
        now: clock.now(),
        request: requestFacts(request),
      })
      return reply.redirect(paths.account.forgottenEmailSent(), 303)
    },
  )

  app.get(
    paths.account.forgottenEmailSent(),
    { config: { access: { public: true }, audit: 'none' } },
    async (_request, reply) => reply.render(`${VIEWS}/forgotten-email-sent.njk`),
  )
}
