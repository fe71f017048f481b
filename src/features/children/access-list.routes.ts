import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { isRole } from '../../domain/roles.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import {
  addAccessEntries,
  listAccessCandidates,
  removeAccessEntry,
} from './access-list.repository.ts'
import { refuseIfReadOnly } from '../../shared/child-header.ts'
import { renderChildRecord } from './record.page.ts'
import { isUuid } from '../../domain/ids.ts'
import { uniqueViolation } from '../../shared/uniqueness.ts'

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
    },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const child = request.child!
      const [userId, capacity] = String(request.body?.person ?? '').split(':')
      const candidates = await listAccessCandidates(db, child.id, child.authorityId)
      const chosen = candidates.find((c) => c.userId === userId && c.role === capacity)
      const refuse = (text: string) =>
        renderChildRecord(request, reply, db, clock, {
          status: 400,
          errors: { list: [{ text, href: '#person' }], fields: { person: { text } } },
        })
      if (!chosen || !isRole(chosen.role)) return refuse('Select the person to add')
      const linked = await db
        .transaction()
        .execute(async (trx) => {
          const at = clock.now()
          const added = await addAccessEntries(trx, [
            {
              childId: child.id,
              userId: chosen.userId,
              capacity: chosen.role,
              addedBy: request.user!.id,
              at,
            },
          ])
          if (added) {
            await request.audit(
              {
                action: 'child.access.add',
                outcome: 'success',
                subjectUserId: chosen.userId,
                details: { capacity: chosen.role },
              },
              trx,
            )
          }
        })
        .then(
          () => true,
          (error: unknown) => {
            // A young person's account is one child's (ADR 10): linked meanwhile, elsewhere or here.
            if (uniqueViolation(error)?.includes('young_person')) return false
            throw error
          },
        )
      if (!linked)
        return refuse(
          `${chosen.displayName} cannot be added: a young person's account belongs to one child, and a child has one`,
        )
      request.flash('success', `${chosen.displayName} can now see this record`)
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
      if (!isUuid(accessId)) return reply.code(404).render('pages/404.njk')
      const removed = await db.transaction().execute(async (trx) => {
        const row = await removeAccessEntry(trx, {
          childId: child.id,
          accessId,
          removedBy: request.user!.id,
          at: clock.now(),
        })
        if (row) {
          await request.audit(
            {
              action: 'child.access.remove',
              outcome: 'success',
              subjectUserId: row.user_id,
              details: { capacity: row.capacity },
            },
            trx,
          )
        }
        return row
      })
      if (!removed) return reply.code(404).render('pages/404.njk')
      request.flash('success', 'They can no longer see this record')
      return reply.redirect(paths.children.show(child.id), 303)
    },
  )
}
