import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { paths } from '../../paths.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import { authorityFor } from '../../shared/choose-authority.ts'
import { dataRightsTitles } from './data-rights.presenter.ts'

/*
 * What the retention pages load before anything else (issue 22, ADR 13): the authority they work
 * in, among those whose records the person manages; named by the query string on the page and by
 * the form on its changes.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** On the retention pages: the authority they work in, once proven to be the user's. */
    retentionAuthority: AuthorityChoice | null
  }
}

const CHOOSE = {
  action: 'data-rights.manage',
  title: dataRightsTitles.retention,
  href: paths.retention.review(),
} as const

const text = (value: unknown) => (typeof value === 'string' ? value : '')

/** Lets the retention routes carry the authority they work in (once, where they are registered). */
export function decorateRetentionAuthority(app: FastifyInstance): void {
  app.decorateRequest('retentionAuthority', null)
}

/** The authority asked for, or an answer already sent (a page to choose one, or 404). */
export const findRetentionAuthority = (
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  asked: unknown,
) => authorityFor(db, request, reply, asked, CHOOSE)

/**
 * The pre-handler of the retention page (`?authority=`) and of a change to its rule (the form's
 * `authority`): the authority among the person's; a person of several who named none chooses one;
 * another authority's id answers 404.
 */
export const loadRetentionAuthority =
  (db: Database, from: 'query' | 'form') =>
  async (request: FastifyRequest, reply: FastifyReply) => {
    const asked =
      from === 'query'
        ? (request.query as { authority?: unknown }).authority
        : text((request.body as Record<string, unknown> | undefined)?.['authority'])
    const found = await findRetentionAuthority(db, request, reply, asked)
    if (!found) return reply
    request.retentionAuthority = found
  }

/** The authority the pre-handler loaded. */
export const retentionAuthorityOf = (request: FastifyRequest): AuthorityChoice =>
  request.retentionAuthority!
