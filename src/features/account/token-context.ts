import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { findValidAccountToken } from './account-tokens.repository.ts'
import { findTokenUser } from './account.service.ts'
import { ACCOUNT_TITLES, VIEWS } from './account.presenter.ts'

export type TokenPurpose = 'invitation' | 'password_reset'
export type TokenUser = NonNullable<Awaited<ReturnType<typeof findTokenUser>>>

declare module 'fastify' {
  interface FastifyRequest {
    /** On an emailed link's pages (`:token`): the person the link is for, while it is usable. */
    tokenUser: TokenUser | null
  }
}

/** An emailed link that is unknown, used or out of date: one page, answered 404. */
export const linkExpired = (reply: FastifyReply, purpose: TokenPurpose) =>
  reply
    .code(404)
    .render(`${VIEWS}/link-expired.njk`, { pageTitle: ACCOUNT_TITLES.linkExpired, purpose })

/** Lets the link routes carry the person their token names (once, where they are registered). */
export function decorateTokenUser(app: FastifyInstance): void {
  app.decorateRequest('tokenUser', null)
}

/**
 * The pre-handler of an invitation's or a password reset's pages: the person the URL's token is
 * for, while the token is valid and they are invited (or active, for a reset); otherwise the
 * "link expired" page, 404.
 */
export const loadTokenUser =
  (db: Database, clock: Clock, purpose: TokenPurpose) =>
  async (request: FastifyRequest, reply: FastifyReply) => {
    const { token } = request.params as { token: string }
    const found = await findValidAccountToken(db, token, purpose, clock.now())
    const user = found ? await findTokenUser(db, found.user_id) : undefined
    const usable = purpose === 'invitation' ? 'invited' : 'active'
    if (user?.status !== usable) return linkExpired(reply, purpose)
    request.tokenUser = user
  }

/** The person the pre-handler loaded. */
export const tokenUserOf = (request: FastifyRequest): TokenUser => request.tokenUser!
