import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Queryable } from '../db/connection.ts'
import type { Action } from '../domain/permissions.ts'
import { pickAuthority, type AuthorityChoice } from './authority-scope.ts'

/*
 * The authority an administration page works in, loaded as a step of the route (ADR 7): the one
 * the form or query string asks for among the person's, or their only one. Otherwise the route
 * is answered here, with a 404 or a page to choose one (or a page elsewhere that offers the
 * choice), and the handler stops. Every administration page loads its authority so: the
 * settings, single sign-on and Pupil Premium Plus pages through their pre-handlers; the others
 * (scheduled work, a new school or child, the imports) through loadAuthority below.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** On a page loading its authority with loadAuthority: the authority, once proven the user's. */
    chosenAuthority: AuthorityChoice | null
  }
}

/** The page an authority is chosen on, when the person works in several and named none. */
export type AuthorityPage =
  | {
      /** The action whose authorities the person may work in. */
      action: Action
      /** The page's title, on the page to choose an authority too. */
      title: string
      /** The page each authority on the choice links to (with `?authority=`). */
      href: string
      /** The words above the choice. */
      lead?: string
    }
  | {
      action: Action
      /** Another page that offers the choice, sent to with a 303. */
      chooseAt: string
    }

const LEAD = 'You work for more than one authority. Which authority is this for?'

/** The authority the page is for; answers (choice page or 404) and returns undefined otherwise. */
export async function authorityFor(
  db: Queryable,
  request: FastifyRequest,
  reply: FastifyReply,
  asked: unknown,
  page: AuthorityPage,
): Promise<AuthorityChoice | undefined> {
  const pick = await pickAuthority(db, request.user!, page.action, asked)
  if (pick.kind === 'one') return pick.authority
  if (pick.kind === 'not-found') void reply.notFound()
  else if ('chooseAt' in page) void reply.redirect(page.chooseAt, 303)
  else
    void reply.render('pages/choose-authority.njk', {
      pageTitle: page.title,
      lead: page.lead ?? LEAD,
      authorities: pick.authorities.map((a) => ({
        text: a.name,
        href: `${page.href}?authority=${encodeURIComponent(a.id)}`,
      })),
    })
  return undefined
}

/** Lets a plugin's routes carry the authority loadAuthority loads (once per plugin, or above it). */
export function decorateChosenAuthority(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('chosenAuthority')) app.decorateRequest('chosenAuthority', null)
}

/**
 * The pre-handler of a page working in one authority (ADR 7): the one the query string
 * (`?authority=`) or the form (`authority`) asks for among the person's, or their only one;
 * otherwise answered by authorityFor (404, or a page to choose one) before the handler.
 */
export const loadAuthority =
  (db: Queryable, page: AuthorityPage, from: 'query' | 'form') =>
  async (request: FastifyRequest, reply: FastifyReply) => {
    const asked =
      from === 'query'
        ? (request.query as { authority?: unknown } | undefined)?.authority
        : ((request.body as Record<string, unknown> | undefined)?.['authority'] ?? '')
    const found = await authorityFor(db, request, reply, asked, page)
    if (!found) return reply
    request.chosenAuthority = found
  }

/** The authority loadAuthority loaded. */
export const chosenAuthorityOf = (request: FastifyRequest): AuthorityChoice =>
  request.chosenAuthority!
