import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import { authorityFor, type AuthorityPage } from '../../shared/choose-authority.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** On an authority's settings pages (`?authority=`): the authority, once proven to be the user's. */
    settingsAuthority: AuthorityChoice | null
  }
}

export type Query = { authority?: string }

export const VIEW = {
  access: { action: 'authority.settings' },
  audit: 'authority.settings.view',
} as const
export const CHANGE = {
  access: { action: 'authority.settings' },
  audit: RECORDED_IN_TRANSACTION,
} as const

export const notFound = (reply: FastifyReply) => reply.notFound()

/** Lets the settings routes carry the authority they work in (once, where they are registered). */
export function decorateSettingsAuthority(app: FastifyInstance): void {
  app.decorateRequest('settingsAuthority', null)
}

/**
 * The pre-handler of every settings page but the overview: the authority the page works in (the
 * user's one, or the one `?authority=` names among theirs). An administrator of several who named
 * none goes back to the overview to choose; another authority's id answers 404.
 */
export const loadSettingsAuthority =
  (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { authority } = request.query as Query
    const found = await authorityFor(db, request, reply, authority, CHOSEN_ON_OVERVIEW)
    if (!found) return reply
    request.settingsAuthority = found
  }

/** A settings page other than the overview: an administrator of several chooses there. */
export const CHOSEN_ON_OVERVIEW: AuthorityPage = {
  action: 'authority.settings',
  chooseAt: paths.authoritySettings.overview(),
}

/** The authority the pre-handler loaded. */
export const settingsAuthorityOf = (request: FastifyRequest): AuthorityChoice =>
  request.settingsAuthority!
