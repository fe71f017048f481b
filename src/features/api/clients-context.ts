import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { pickAuthority, type AuthorityChoice } from '../../shared/authority-scope.ts'
import { isUuid } from '../../domain/ids.ts'
import { findClient, type ApiClientRow } from './clients.service.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** On the API clients' pages: the authority they work in, once proven to be the user's. */
    clientsAuthority: AuthorityChoice | null
    /** On an API client's pages (`:clientId`): the client, once proven to be that authority's. */
    managedClient: ApiClientRow | null
  }
}

export const VIEW = { access: { action: 'authority.settings' }, audit: 'api.clients.view' } as const
export const FORM = { access: { action: 'authority.settings' }, audit: 'none' } as const
export const CHANGE = {
  access: { action: 'authority.settings' },
  audit: RECORDED_IN_TRANSACTION,
} as const

export function decorateClientsAuthority(app: FastifyInstance): void {
  app.decorateRequest('clientsAuthority', null)
  app.decorateRequest('managedClient', null)
}

/**
 * The authority an API clients' page works in (`?authority=`, or the administrator's only one):
 * another authority's id answers 404; an administrator of several who named none chooses on the
 * settings overview.
 */
export const loadClientsAuthority =
  (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { authority } = request.query as { authority?: string }
    const pick = await pickAuthority(db, request.user!, 'authority.settings', authority)
    if (pick.kind === 'one') {
      request.clientsAuthority = pick.authority
      return
    }
    if (pick.kind === 'choose') return reply.redirect(paths.authoritySettings.overview(), 303)
    return reply.notFound()
  }

export const clientsAuthorityOf = (request: FastifyRequest): AuthorityChoice =>
  request.clientsAuthority!

/**
 * The pre-handler of an API client's pages, after the authority's: the client `:clientId` names,
 * which must be that authority's, else 404. A page that changes what the client does (revoking
 * it, adding a webhook) takes only a client not revoked; its other pages take a revoked one too.
 */
export const loadManagedClient =
  (db: Database, which: 'active' | 'any') =>
  async (request: FastifyRequest, reply: FastifyReply) => {
    const { clientId } = request.params as { clientId: string }
    const client = isUuid(clientId)
      ? await findClient(db, clientsAuthorityOf(request).id, clientId)
      : undefined
    if (!client || (which === 'active' && client.revokedAt)) return reply.notFound()
    request.managedClient = client
  }

/** The client the pre-handler loaded. */
export const managedClientOf = (request: FastifyRequest): ApiClientRow => request.managedClient!
