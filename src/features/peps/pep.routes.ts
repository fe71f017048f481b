import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { mayCompleteSection } from '../../forms/completion.ts'
import type { Section } from '../../forms/types.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { refuseIfReadOnly } from '../children/child-page.ts'
import { pepActor, pepOf, pepPageModel, pepRoute, resolvePeps } from './pep-context.ts'
import { pageRoutes } from './page.routes.ts'
import { contentsModel, pepSummaryRows, pepTitle, readModel } from './pep.presenter.ts'
import { pagesOf, sectionsOf } from './peps.repository.ts'
import { completeSection, contextOf } from './peps.service.ts'

type Params = { childId: string; pepId: string }

/** A PEP's contents, its read view and marking its sections complete; its pages in page.routes.ts. */
export const pepPageRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  resolvePeps(app, db)
  await app.register(pageRoutes, { db, clock })

  app.get<{ Params: Params }>(
    paths.peps.contents(':childId', ':pepId'),
    { config: { access: pepRoute('pep.view'), audit: 'pep.view' } },
    async (request, reply) => {
      const pep = pepOf(request)
      const [pages, sections] = await Promise.all([pagesOf(db, pep.id), sectionsOf(db, pep.id)])
      const readOnly = request.child!.status === 'ceased'
      return reply.render('peps/views/contents.njk', {
        ...pepPageModel(request),
        pageTitle: `${pepTitle(pep)} – ${request.child!.firstName} ${request.child!.lastName}`,
        summaryRows: pepSummaryRows(pep),
        sections: contentsModel(
          pep,
          pages,
          sections,
          request.actingRole,
          contextOf(pep.yearGroupValue, pages),
          readOnly,
        ),
      })
    },
  )

  app.get<{ Params: Params }>(
    paths.peps.read(':childId', ':pepId'),
    { config: { access: pepRoute('pep.view'), audit: 'pep.read' } },
    async (request, reply) => {
      const pep = pepOf(request)
      const [pages, sections] = await Promise.all([pagesOf(db, pep.id), sectionsOf(db, pep.id)])
      return reply.render('peps/views/read.njk', {
        ...pepPageModel(request),
        pageTitle: `${pepTitle(pep)} – ${request.child!.firstName} ${request.child!.lastName}`,
        summaryRows: pepSummaryRows(pep),
        sections: readModel(pep.template, pages, sections, contextOf(pep.yearGroupValue, pages)),
      })
    },
  )

  app.post<{ Params: Params & { sectionId: string } }>(
    paths.peps.complete(':childId', ':pepId', ':sectionId'),
    { config: { access: pepRoute('pep.complete'), audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const pep = pepOf(request)
      const section: Section | undefined = pep.template.sections.find(
        (s) => s.id === request.params.sectionId,
      )
      if (!section) return reply.code(404).render('pages/404.njk')
      if (!mayCompleteSection(section, request.actingRole)) {
        await request.audit({
          action: 'pep.section.incomplete',
          outcome: 'denied',
          details: { pepId: pep.id, sectionId: section.id, reason: 'role' },
        })
        return reply.code(403).render('pages/403.njk')
      }
      const result = await completeSection(db, pepActor(request, clock), {
        pepId: pep.id,
        authorityId: pep.authorityId,
        template: pep.template,
        yearGroup: pep.yearGroupValue,
        sectionId: section.id,
      })
      if (result.kind === 'missing') {
        await request.audit({
          action: 'pep.section.incomplete',
          outcome: 'failure',
          details: {
            pepId: pep.id,
            sectionId: section.id,
            missing: result.missing.map((m) => m.fieldId),
          },
        })
        return reply.code(400).render('peps/views/incomplete.njk', {
          ...pepPageModel(request),
          pageTitle: `${section.title} cannot be marked complete yet – ${pepTitle(pep)}`,
          section: { title: section.title },
          errors: {
            list: result.missing.map((m) => ({
              text: `${m.pageTitle}: ${m.text}`,
              href: `${paths.peps.page(pep.childId, pep.id, m.pageId)}#${m.fieldId}`,
            })),
            fields: {},
          },
        })
      }
      request.flash(
        'success',
        result.kind === 'completed'
          ? `${section.title} is marked complete`
          : `${section.title} was already marked complete`,
      )
      return reply.redirect(paths.peps.contents(pep.childId, pep.id), 303)
    },
  )
}
