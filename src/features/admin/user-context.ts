import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Action } from '../../domain/permissions.ts'
import { RECORDED_IN_TRANSACTION, type RouteAudit } from '../../plugins/types.ts'
import { findUserInScope, type ManagedUser } from './admin-scope.repository.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** On an administrator's page about one user: that user, as the administrator may see them. */
    managedUser: ManagedUser | null
  }
}

/** Lets the admin routes carry the user their URL names (once, where they are registered). */
export function decorateManagedUser(app: FastifyInstance): void {
  app.decorateRequest('managedUser', null)
}

/**
 * The pre-handler of every administrator's page and change about one user (`:userId`): the one
 * scoping rule (admin-scope.repository.ts) loads the user within the administrator's authorities for the
 * action. A user outside them (or no such user) answers 404, like a missing page, and the
 * refusal is recorded as 'access.denied', as the access plugin records a hidden child (on a GET,
 * just after the route's own view event, which the plugin writes before the scope is checked).
 */
export const loadManagedUser =
  (db: Database, action: Action = 'admin.users') =>
  async (request: FastifyRequest, reply: FastifyReply) => {
    const { userId } = request.params as { userId: string }
    const user = await findUserInScope(db, request.user!, userId, action)
    if (user) {
      request.managedUser = user
      return
    }
    await request.audit({
      action: 'access.denied',
      outcome: 'denied',
      details: { userId, action: request.routeOptions.config.access, reason: 'user-not-in-scope' },
    })
    return reply.notFound()
  }

/** The user the pre-handler loaded. */
export const managedUserOf = (request: FastifyRequest): ManagedUser => request.managedUser!

/*
 * Audit: pages (GET) name their audit action on the route and the access plugin writes it.
 * Changes (POST) are RECORDED_IN_TRANSACTION: the admin services write each change's event
 * inside the change's own transaction, with what changed.
 */
export const adminRoute = (
  audit: RouteAudit = RECORDED_IN_TRANSACTION,
  action: Action = 'admin.users',
) => ({ config: { access: { action }, audit } })

/** A role or child-access row that is not there (any more): a plain 404, nothing refused. */
export const missing = (reply: FastifyReply) => reply.notFound()
