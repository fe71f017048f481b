import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../db/connection.ts'
import { canAct } from '../domain/permissions.ts'
import { findCurrentUser, type CurrentUser } from '../features/users/users.repository.ts'
import { paths } from '../paths.ts'
import './types.ts'

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null
  }
}

export class MissingAccessRuleError extends Error {}

/**
 * Deny by default. Every route must declare who may call it; one that does not is refused at
 * start-up, so a forgotten rule cannot reach production. Then each request is checked against
 * its route's rule before the handler runs.
 */
export const accessPlugin = fp<{ db: Database }>(async (app, { db }) => {
  app.decorateRequest('user', null)

  app.addHook('onRoute', (route) => {
    if (!route.config?.access) {
      throw new MissingAccessRuleError(`Route ${route.method} ${route.url} has no access rule`)
    }
  })

  app.addHook('preHandler', async (request, reply) => {
    const userId = request.session?.userId
    if (userId) {
      const user = await findCurrentUser(db, userId)
      if (user) request.user = user
      else await request.session.destroy()
    }
    const access = request.routeOptions.config.access
    // Routes that fall through to the 404 handler have no route options of their own.
    if (!access) return
    if ('public' in access) return
    if (!request.user) return redirectToSignIn(request, reply)
    if ('action' in access) {
      const roles = request.user.memberships.map((m) => m.role)
      if (!canAct(roles, access.action)) return reply.code(403).render('pages/403.njk')
    }
  })
})

function redirectToSignIn(request: FastifyRequest, reply: FastifyReply) {
  if (request.method !== 'GET') return reply.code(401).render('pages/401.njk')
  const returnTo = encodeURIComponent(request.url)
  return reply.redirect(`${paths.signIn()}?returnTo=${returnTo}`)
}
