import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { paths } from '../../paths.ts'
import { loadPepPage, pepPageOf } from './page-context.ts'
import { pageHistoryModel } from './page.presenter.ts'
import { pepOf, pepPageModel, pepRoute } from './pep-context.ts'
import { revisionsOf } from './peps.repository.ts'

type PageParams = { childId: string; pepId: string; pageId: string }

/** The history of a page of a PEP's form: every saved version, every question or one. */
export const pageHistoryRoutes: FastifyPluginAsync<{ db: Database }> = async (app, { db }) => {
  app.get<{ Params: PageParams; Querystring: { question?: string } }>(
    paths.peps.history(':childId', ':pepId', ':pageId'),
    {
      config: { access: pepRoute('pep.view'), audit: 'pep.history.view' },
      preHandler: loadPepPage(db),
    },
    async (request, reply) => {
      const pep = pepOf(request)
      const found = pepPageOf(request)
      const revisions = await revisionsOf(db, pep.id, found.page.id)
      const question = found.questions.find((q) => q.id === request.query.question)
      return reply.render('peps/views/history.njk', {
        ...pepPageModel(request),
        ...pageHistoryModel(pep, found, revisions, question),
      })
    },
  )
}
