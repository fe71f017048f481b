import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { actorFrom } from '../../shared/actor.ts'
import { refuseIfReadOnly } from '../../shared/child-header.ts'
import { pepOf, pepRoute } from './pep-context.ts'
import { endPart } from './workflow.service.ts'

type Params = { childId: string; pepId: string; partId: string }

/**
 * Ending one colleague's part of the school's pages (issue 15): the teacher who passed them on
 * takes them back, or the colleague hands them back. The other parts stay as they are.
 */
export const partsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  app.post<{ Params: Params }>(
    paths.peps.endPart(':childId', ':pepId', ':partId'),
    { config: { access: pepRoute('pep.workflow'), audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const pep = pepOf(request)
      const result = await endPart(db, actorFrom(request, clock), {
        pep,
        partId: request.params.partId,
      })
      // Not a part of this PEP that is live and theirs to end: nothing to say about it.
      if (!result.ok) return reply.notFound()
      if (result.value.handedBack) {
        request.flash('success', 'You handed the pages back')
        return reply.redirect(paths.peps.contents(pep.childId, pep.id), 303)
      }
      request.flash('success', 'The pages are back with you')
      return reply.redirect(paths.peps.action(pep.childId, pep.id, 'pass-on'), 303)
    },
  )
}
