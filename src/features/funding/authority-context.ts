import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Action } from '../../domain/permissions.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import { authorityFor } from '../../shared/choose-authority.ts'
import { fundingTitles } from './funding.presenter.ts'

/*
 * What the Virtual School's Pupil Premium Plus pages load before anything else (issue 18): the
 * authority a page works in, chosen by the query string among those where the person may take
 * the page's action; links keep it.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** On the Virtual School's funding pages (`?authority=`): the authority, once proven the user's. */
    fundingAuthority: AuthorityChoice | null
  }
}

type Q = { authority?: string }

export const inAuthority = (path: string, authority: AuthorityChoice, extra = '') =>
  `${path}?authority=${encodeURIComponent(authority.id)}${extra}`

/** Lets the funding routes carry the authority they work in (once, where they are registered). */
export function decorateFundingAuthority(app: FastifyInstance): void {
  app.decorateRequest('fundingAuthority', null)
}

/**
 * The pre-handler of every Virtual School funding page: the authority the page works in, among
 * those where the person may take the page's action (`?authority=`, or their only one). A person
 * of several who named none is shown a page to choose one; another authority's id answers 404.
 */
export const loadFundingAuthority =
  (db: Database, action: Action) => async (request: FastifyRequest, reply: FastifyReply) => {
    const found = await authorityFor(db, request, reply, (request.query as Q).authority, {
      action,
      title: fundingTitles.chooseAuthority,
      href: request.url.split('?')[0]!,
    })
    if (!found) return reply
    request.fundingAuthority = found
  }

/** The authority the pre-handler loaded. */
export const fundingAuthorityOf = (request: FastifyRequest): AuthorityChoice =>
  request.fundingAuthority!
