import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { applicablePages, mayCompleteSection } from '../../forms/completion.ts'
import type { Section } from '../../forms/types.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { refuseIfReadOnly } from '../../shared/child-header.ts'
import { holdsSection } from '../../domain/pep-workflow.ts'
import { pepOf, pepPageModel, pepRoute } from './pep-context.ts'
import { pepTitle } from './pep.presenter.ts'
import { isSchoolSection, schoolRole } from './workflow.service.ts'
import { liveDelegation } from './workflow.repository.ts'
import { pagesOf } from './peps.repository.ts'
import { completeSection, contextOf } from './peps.service.ts'

/* Marking a section of a PEP complete: the page that asks first, and the change. */

type Params = { childId: string; pepId: string; sectionId: string }

export const completeRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  // One click no longer locks a section: the button asks first, saying what it locks.
  app.get<{ Params: Params }>(
    paths.peps.complete(':childId', ':pepId', ':sectionId'),
    // Marking a section complete is the PEP's progress (ADR 10): staff's, never the carer's or
    // the young person's, who get 404 as for any part they may not read.
    {
      config: {
        access: { ...pepRoute('pep.view'), reads: 'pep-progress' },
        audit: 'pep.section.complete.view',
      },
    },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const pep = pepOf(request)
      const section = pep.template.sections.find((s) => s.id === request.params.sectionId)
      if (!section) return reply.code(404).render('pages/404.njk')
      const name = section.title.split(':')[0]!
      return reply.render('peps/views/complete.njk', {
        ...pepPageModel(request),
        pageTitle: `Mark ${name} as complete – ${pepTitle(pep)}`,
        heading: `Mark ${name} as complete?`,
        name,
        locks: isSchoolSection(section.id)
          ? `Its pages are locked: nobody can change them unless the social worker or the Virtual School returns ${name} to the school.`
          : section.id === 'D'
            ? 'The quality assurance is locked with the PEP when it is signed off.'
            : `Its pages are locked: nobody can change them unless the Virtual School returns ${name} for improvement.`,
        action: paths.peps.complete(pep.childId, pep.id, section.id),
      })
    },
  )

  app.post<{ Params: Params }>(
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
      if (schoolRole(request.actingRole) && isSchoolSection(section.id)) {
        const [delegation, pages] = await Promise.all([
          liveDelegation(db, pep.id),
          pagesOf(db, pep.id),
        ])
        // Marking complete locks its pages: only one who holds every page of it that applies.
        const applicable = applicablePages(section, contextOf(pep.yearGroupValue, pages))
        const mine = holdsSection(
          delegation,
          request.user!.id,
          section.id,
          applicable.map((p) => p.id),
        )
        if (!mine)
          return reply.code(409).render('peps/views/action.njk', {
            ...pepPageModel(request),
            pageTitle: `${section.title} cannot be marked complete now – ${pepTitle(pep)}`,
            heading: `Mark ${section.title} as complete`,
            refusal: 'The school’s sections are not delegated to you',
          })
      }
      const result = await completeSection(db, actorFrom(request, clock), {
        pepId: pep.id,
        authorityId: pep.authorityId,
        template: pep.template,
        yearGroup: pep.yearGroupValue,
        sectionId: section.id,
        childId: pep.childId,
        role: request.actingRole,
      })
      if (result.kind === 'closed')
        return reply.code(409).render('peps/views/action.njk', {
          ...pepPageModel(request),
          pageTitle: `${section.title} cannot be marked complete now – ${pepTitle(pep)}`,
          heading: `Mark ${section.title} as complete`,
          refusal: 'The PEP is not open for changes to this section',
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
          askedVirtualSchool: result.askedVirtualSchool,
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
