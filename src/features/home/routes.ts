import type { FastifyPluginAsync } from 'fastify'
import { canAct } from '../../domain/permissions.ts'
import { ROLE_NAMES } from '../../domain/roles.ts'
import { paths } from '../../paths.ts'

/** "My work": where every user lands after signing in. */
export const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    paths.home(),
    { config: { access: { signedIn: true }, audit: 'home.view' } },
    async (request, reply) => {
      const user = request.user!
      const roles = user.memberships.map((m) => m.role)
      return reply.render('home/views/my-work.njk', {
        tasks: [],
        memberships: user.memberships.map((m) => ({
          authorityName: m.authorityName,
          roleName: ROLE_NAMES[m.role],
        })),
        canListChildren: canAct(roles, 'children.list'),
      })
    },
  )
}
