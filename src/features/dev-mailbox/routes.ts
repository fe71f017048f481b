import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { findEmail, listRecentEmails } from '../../email/outbox.repository.ts'
import { paths } from '../../paths.ts'
import { presentEmail, presentMailbox } from './dev-mailbox.presenter.ts'

/**
 * Without an SMTP server, this shows what would have been sent, so invitations and password
 * resets can be tried with `npm start` alone. Each signed-in person sees only the email sent to
 * their own address; in the demo (the seeded fictional data), a Virtual School administrator sees
 * every email, so an invitation or a reset link for someone who cannot sign in can be followed.
 * It is never registered when SMTP is configured or in production (see app.ts).
 */
export const devMailboxRoutes: FastifyPluginAsync<{ db: Database; demo: boolean }> = async (
  app,
  { db, demo },
) => {
  /** Whose email the person may read: theirs, or (in the demo, for an administrator) anyone's. */
  const readableBy = (request: FastifyRequest): string | 'all' => {
    const user = request.user!
    if (demo && user.memberships.some((m) => m.role === 'vs_admin')) return 'all'
    return user.email
  }

  app.get(
    paths.devMailbox.list(),
    { config: { access: { signedIn: true }, audit: 'none' } },
    async (request, reply) => {
      const reader = readableBy(request)
      const emails = await listRecentEmails(db, 100, reader === 'all' ? undefined : reader)
      return reply.render('dev-mailbox/views/list.njk', presentMailbox(emails, reader === 'all'))
    },
  )

  app.get<{ Params: { emailId: string } }>(
    paths.devMailbox.show(':emailId'),
    {
      config: { access: { signedIn: true }, audit: 'none' },
      schema: {
        params: { type: 'object', properties: { emailId: { type: 'string', format: 'uuid' } } },
      },
    },
    async (request, reply) => {
      const reader = readableBy(request)
      const email = await findEmail(db, request.params.emailId)
      const readable =
        email && (reader === 'all' || email.to_address.toLowerCase() === reader.toLowerCase())
      if (!readable) return reply.notFound()
      return reply.render('dev-mailbox/views/show.njk', presentEmail(email))
    },
  )
}
