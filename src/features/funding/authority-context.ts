import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Action } from '../../domain/permissions.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import { authorityFor as chosenAuthority } from '../../shared/choose-authority.ts'
import { fundingTitles } from './funding.presenter.ts'

/*
 * What the Virtual School's Pupil Premium Plus pages load before anything else (issue 18): the
 * authority a page works in, chosen by the query string among those where the person may take
 * the page's action; links keep it.
 */

type Q = { authority?: string }

export const inAuthority = (path: string, authority: AuthorityChoice, extra = '') =>
  `${path}?authority=${encodeURIComponent(authority.id)}${extra}`

/** The authority a page works in, or an answer already sent (404, or a choice of authority). */
export async function authorityFor(
  db: Database,
  request: FastifyRequest<{ Querystring: Q }>,
  reply: FastifyReply,
  action: Action,
): Promise<AuthorityChoice | undefined> {
  return chosenAuthority(db, request, reply, request.query.authority, {
    action,
    title: fundingTitles.chooseAuthority,
    href: request.url.split('?')[0]!,
  })
}
