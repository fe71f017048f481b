import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { isUuid } from '../../domain/ids.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { actorFrom } from '../../shared/actor.ts'
import { addToAccessList, removeFromAccessList } from './access-list.service.ts'
import {
  ACCESS_REMOVED_TEXT,
  accessAddedText,
  accessListRefusalText,
} from './child-record.presenter.ts'
import { refuseIfReadOnly } from '../../shared/child-header.ts'
import { renderChildRecord } from './record.routes.ts'
import { loadChildRecord } from './record-context.ts'
import { readOnlyRefused } from '../peps/page-context.ts'

/** Virtual School staff add people to a child's access list and take them off it. */
export const accessListRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  app.post<{ Params: { childId: string }; Body: { person?: string } }>(
    paths.children.access(':childId'),
    {
      config: {
        access: { action: 'child.access.manage', child: true, reads: 'access-list' },
        audit: RECORDED_IN_TRANSACTION,
      },
      // A child who has left care is refused first; a refused addition re-shows the record.
      preHandler: [readOnlyRefused, loadChildRecord(db, clock)],
    },
    async (request, reply) => {
      const child = request.child!
      const [userId = '', capacity = ''] = String(request.body?.person ?? '').split(':')
      const added = await addToAccessList(db, actorFrom(request, clock), {
        childId: child.id,
        authorityId: child.authorityId,
        userId,
        capacity,
      })
      if (!added.ok) {
        const text = accessListRefusalText(added.error)
        return renderChildRecord(request, reply, db, clock, {
          status: 400,
          errors: { list: [{ text, href: '#person' }], fields: { person: { text } } },
        })
      }
      request.flash('success', accessAddedText(added.value.displayName))
      return reply.redirect(paths.children.show(child.id), 303)
    },
  )

  app.post<{ Params: { childId: string; accessId: string } }>(
    paths.children.removeAccess(':childId', ':accessId'),
    {
      config: {
        access: { action: 'child.access.manage', child: true, reads: 'access-list' },
        audit: RECORDED_IN_TRANSACTION,
      },
    },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const child = request.child!
      const { accessId } = request.params
      if (!isUuid(accessId)) return reply.notFound()
      const removed = await removeFromAccessList(db, actorFrom(request, clock), {
        childId: child.id,
        accessId,
      })
      if (!removed.ok) return reply.notFound()
      request.flash('success', ACCESS_REMOVED_TEXT)
      return reply.redirect(paths.children.show(child.id), 303)
    },
  )
}
