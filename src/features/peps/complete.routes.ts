import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { loadPepSection, pepSectionOf, readOnlyRefused } from './page-context.ts'
import { pepOf, pepPageModel, pepRoute } from './pep-context.ts'
import {
  completedMessage,
  completePageModel,
  incompleteModel,
  notNowModel,
} from './complete.presenter.ts'
import { isSchoolSection, schoolRole } from './workflow.service.ts'
import { completeSection } from './peps.service.ts'

/* Marking a section of a PEP complete: the page that asks first, and the change. */

type Params = { childId: string; pepId: string; sectionId: string }

export const completeRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  // A child who has left care is refused before the section is looked for, as before.
  const preHandler = [readOnlyRefused, loadPepSection]

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
      preHandler,
    },
    async (request, reply) => {
      const pep = pepOf(request)
      const section = pepSectionOf(request)
      return reply.render('peps/views/complete.njk', {
        ...pepPageModel(request),
        ...completePageModel(pep, section),
      })
    },
  )

  app.post<{ Params: Params }>(
    paths.peps.complete(':childId', ':pepId', ':sectionId'),
    { config: { access: pepRoute('pep.complete'), audit: RECORDED_IN_TRANSACTION }, preHandler },
    async (request, reply) => {
      const pep = pepOf(request)
      const section = pepSectionOf(request)
      const sectionOfPep = {
        pepId: pep.id,
        authorityId: pep.authorityId,
        template: pep.template,
        yearGroup: pep.yearGroupValue,
        sectionId: section.id,
        childId: pep.childId,
        role: request.actingRole,
        // The school's roles complete the school's sections only while they hold all of them.
        ...(schoolRole(request.actingRole) && isSchoolSection(section.id)
          ? { delegatedTo: request.user!.id }
          : {}),
      }
      const result = await completeSection(db, actorFrom(request, clock), sectionOfPep)
      if (!result.ok) {
        const { code } = result.error
        if (code === 'section.not-yours') return reply.forbidden()
        const notNow = notNowModel(pep, section, code)
        if (notNow)
          return reply
            .code(409)
            .render('peps/views/action.njk', { ...pepPageModel(request), ...notNow })
        // Each answer still missing, as the service found them under the PEP's lock.
        const { blockers } = result
        if (!blockers) throw new Error(`Refused ${code} with nothing missing`)
        return reply.code(400).render('peps/views/incomplete.njk', {
          ...pepPageModel(request),
          ...incompleteModel(pep, section, blockers),
        })
      }
      request.flash('success', completedMessage(section, result.value.already))
      return reply.redirect(paths.peps.contents(pep.childId, pep.id), 303)
    },
  )
}
