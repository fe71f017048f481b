import type { FastifyPluginAsync } from 'fastify'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { validateForm } from '../../forms/validation.ts'
import {
  emailSchema,
  emailsError,
  readReminderEmails,
  requestFacts,
  typedText,
} from './account.form.ts'
import { ACCOUNT_TITLES, VIEWS } from './account.presenter.ts'
import { remindAccounts, requestPasswordReset } from './account.service.ts'
import type { AccountGroupOptions } from './routes.ts'

/**
 * Forgotten password and forgotten email address: always the same answer, whether or not an
 * address has an account.
 */
export const forgottenRoutes: FastifyPluginAsync<AccountGroupOptions> = async (
  app,
  { db, clock, baseUrl, throttled },
) => {
  app.get(
    paths.account.forgottenPassword(),
    { config: { access: { public: true }, audit: 'none' } },
    async (_request, reply) =>
      reply.render(`${VIEWS}/forgotten-password.njk`, {
        pageTitle: ACCOUNT_TITLES.forgottenPassword,
        values: {},
      }),
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.account.forgottenPassword(),
    { config: { access: { public: true }, audit: RECORDED_IN_TRANSACTION, rateLimit: throttled } },
    async (request, reply) => {
      const form = validateForm(emailSchema, request.body)
      if (!form.ok) {
        const email = typedText(request.body, 'email')
        return reply.code(400).render(`${VIEWS}/forgotten-password.njk`, {
          pageTitle: ACCOUNT_TITLES.forgottenPassword,
          values: { email },
          errors: form.errors,
        })
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
    async (_request, reply) =>
      reply.render(`${VIEWS}/forgotten-password-sent.njk`, {
        pageTitle: ACCOUNT_TITLES.checkYourEmail,
      }),
  )

  // Forgotten email address: they list the addresses they might use; each with an account is told so.
  app.get(
    paths.account.forgottenEmail(),
    { config: { access: { public: true }, audit: 'none' } },
    async (_request, reply) =>
      reply.render(`${VIEWS}/forgotten-email.njk`, {
        pageTitle: ACCOUNT_TITLES.forgottenEmail,
        values: {},
      }),
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.account.forgottenEmail(),
    { config: { access: { public: true }, audit: RECORDED_IN_TRANSACTION, rateLimit: throttled } },
    async (request, reply) => {
      const { typed, lines, problem } = readReminderEmails(request.body)
      if (problem) {
        return reply.code(400).render(`${VIEWS}/forgotten-email.njk`, {
          pageTitle: ACCOUNT_TITLES.forgottenEmail,
          values: { emails: typed },
          errors: emailsError(problem),
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
    async (_request, reply) =>
      reply.render(`${VIEWS}/forgotten-email-sent.njk`, {
        pageTitle: ACCOUNT_TITLES.checkYourEmail,
      }),
  )
}
