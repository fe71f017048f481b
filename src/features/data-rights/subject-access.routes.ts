import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { childPageModel } from '../../shared/child-header.ts'
import { attachmentDisposition } from '../../shared/download.ts'
import { childRetention } from './retention.service.ts'
import { dataRightsTitles, retentionWords } from './data-rights.presenter.ts'
import { subjectAccessExport } from './subject-access.service.ts'

type Params = { childId: string }

/** Only the authority's Virtual School administrators, on a child of their authority. */
const ACCESS = { action: 'data-rights.manage', child: true } as const

/** A child's data rights page, and the subject access export it offers (issue 22). */
export const subjectAccessRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  app.get<{ Params: Params }>(
    paths.children.dataRights(':childId'),
    { config: { access: ACCESS, audit: 'data-rights.view' } },
    async (request, reply) => {
      const child = request.child!
      const retention = await childRetention(db, child.id)
      return reply.render('data-rights/views/child.njk', {
        ...childPageModel(request, 'data-rights'),
        pageTitle: dataRightsTitles.child(child),
        exportHref: paths.children.subjectAccessExport(child.id),
        retention: retentionWords(retention),
        reviewHref: paths.retention.review(),
      })
    },
  )

  // A GET, so it works for a child who has left care (whose record refuses every change). The
  // access plugin writes its audit event before the ZIP is made: no audit, no export.
  app.get<{ Params: Params }>(
    paths.children.subjectAccessExport(':childId'),
    { config: { access: ACCESS, audit: 'data-rights.export' } },
    async (request, reply) => {
      const result = await subjectAccessExport(db, actorFrom(request, clock), request.child!.id)
      if (!result.ok) return reply.notFound()
      const { bytes, filename } = result.value
      return reply
        .type('application/zip')
        .header('content-disposition', attachmentDisposition(filename))
        .header('cache-control', 'no-store')
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    },
  )
}
