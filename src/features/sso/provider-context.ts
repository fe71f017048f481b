import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { pickAuthority, type AuthorityChoice } from '../../shared/authority-scope.ts'
import { authorityFor, type AuthorityPage } from '../../shared/choose-authority.ts'
import { findProvider, type ProviderRow } from './sso.repository.ts'
import { findSignInProvider } from './sso.service.ts'

type SignInProvider = NonNullable<Awaited<ReturnType<typeof findSignInProvider>>>

declare module 'fastify' {
  interface FastifyRequest {
    /** On the single sign-on settings pages: the authority, once proven to be the user's. */
    ssoAuthority: AuthorityChoice | null
    /** On a provider's pages: the provider, once proven to be that authority's. */
    ssoProvider: ProviderRow | null
    /** On the pages that sign in through a provider (`:providerId`): it, and its authority's name. */
    signInProvider: SignInProvider | null
  }
}

export const VIEW = {
  access: { action: 'authority.settings' },
  audit: 'authority.sso.view',
} as const
export const CHANGE = {
  access: { action: 'authority.settings' },
  audit: RECORDED_IN_TRANSACTION,
} as const

export const notFound = (reply: FastifyReply) => reply.notFound()

/** An administrator of several authorities chooses one on the settings overview. */
const CHOSEN_ON_OVERVIEW: AuthorityPage = {
  action: 'authority.settings',
  chooseAt: paths.authoritySettings.overview(),
}

export function decorateSsoContext(app: FastifyInstance): void {
  app.decorateRequest('ssoAuthority', null)
  app.decorateRequest('ssoProvider', null)
  app.decorateRequest('signInProvider', null)
}

/**
 * The authority the page works in (`?authority=` among the administrator's, or their one): an
 * administrator of several who named none chooses on the settings overview; another authority's
 * id answers 404 (ADR 9).
 */
export const loadSsoAuthority =
  (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { authority } = request.query as { authority?: string }
    const found = await authorityFor(db, request, reply, authority, CHOSEN_ON_OVERVIEW)
    if (!found) return reply
    request.ssoAuthority = found
  }

/** A provider's pages: the authority as above, then the provider, which must be that authority's. */
export const loadSsoProvider =
  (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { providerId } = request.params as { providerId?: string }
    const provider =
      providerId && isUuid(providerId) ? await findProvider(db, providerId) : undefined
    if (!provider || !request.user) return notFound(reply)
    const pick = await pickAuthority(db, request.user, 'authority.settings', provider.authorityId)
    if (pick.kind !== 'one') return notFound(reply)
    request.ssoAuthority = pick.authority
    request.ssoProvider = provider
  }

/**
 * The pre-handler of the pages that sign in through a provider (`:providerId`, public): the
 * provider, with its authority's name; none is 404. A person already signed in is sent home by
 * the page itself, so nothing is looked up for them.
 */
export const loadSignInProvider =
  (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.user) return
    const { providerId } = request.params as { providerId: string }
    const found = await findSignInProvider(db, providerId)
    if (!found) return notFound(reply)
    request.signInProvider = found
  }

/** The provider the pre-handler loaded. */
export const signInProviderOf = (request: FastifyRequest): SignInProvider => request.signInProvider!
