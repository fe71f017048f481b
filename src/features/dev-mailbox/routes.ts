import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { findEmail, listRecentEmails } from '../../email/outbox.repository.ts'
import { paths } from '../../paths.ts'

/**
 * Without an SMTP server, this shows what would have been sent, so invitations and password
 * resets can be tried with `npm start` alone. It is open without sign-in because the person an
 * invitation is for has no account yet; it is never registered when SMTP is configured or in
 * production (see app.ts).
 */
export const devMailboxRoutes: FastifyPluginAsync<{ db: Database }> = async (app, { db }) => {
  app.get(
    paths.devMailbox.list(),
    { config: { access: { public: true }, audit: 'none' } },
    async (_request, reply) => {
      const emails = await listRecentEmails(db, 100)
      return reply.render('dev-mailbox/views/list.njk', { emails })
    },
  )

  app.get<{ Params: { emailId: string } }>(
    paths.devMailbox.show(':emailId'),
    {
      config: { access: { public: true }, audit: 'none' },
      schema: {
        params: { type: 'object', properties: { emailId: { type: 'string', format: 'uuid' } } },
      },
    },
    async (request, reply) => {
      const email = await findEmail(db, request.params.emailId)
      if (!email) return reply.code(404).render('pages/404.njk')
      return reply.render('dev-mailbox/views/show.njk', { email })
    },
  )
}
