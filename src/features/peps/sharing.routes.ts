import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { actorFrom } from '../../shared/actor.ts'
import { pepOf, pepRoute } from './pep-context.ts'
import { sharePage } from './sharing.service.ts'

type Params = { childId: string; pepId: string; pageId: string }

/** Sharing a page of a PEP with the young person, or stopping (ADR 10). */
export const sharingRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  app.post<{ Params: Params; Body: { shared?: unknown } | undefined }>(
    paths.peps.share(':childId', ':pepId', ':pageId'),
    { config: { access: pepRoute('pep.share'), audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const pep = pepOf(request)
      const shared = request.body?.shared === 'yes'
      const result = await sharePage(db, actorFrom(request, clock), {
        pepId: pep.id,
        childId: pep.childId,
        template: pep.template,
        pageId: request.params.pageId,
        shared,
      })
      if (!result.ok) return reply.notFound()
      const name = request.child!.firstName
      if (result.value.changed)
        request.flash(
          'success',
          shared ? `${name} can now read this page` : `${name} can no longer read this page`,
        )
      return reply.redirect(paths.peps.page(pep.childId, pep.id, request.params.pageId), 303)
    },
  )
}
