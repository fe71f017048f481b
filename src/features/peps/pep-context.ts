import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import { isYearGroup, type YearGroup } from '../../domain/year-group.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import type { FormTemplate } from '../../forms/types.ts'
import { findPepOfChild, type PepRow } from './peps.repository.ts'

export interface PepInContext extends PepRow {
  /** The template version the PEP was started on: it keeps it for life. */
  template: FormTemplate
  yearGroupValue: YearGroup | null
}

declare module 'fastify' {
  interface FastifyRequest {
    /** On PEP routes, the PEP the URL names, once proven to belong to the child in the URL. */
    pep: PepInContext | null
  }
}

/**
 * Every route under a PEP passes through here after the child check: the PEP must be the
 * child's own, else 404, so a PEP id never opens another child's PEP.
 */
export function resolvePeps(app: FastifyInstance, db: Database): void {
  app.decorateRequest('pep', null)
  app.addHook('preHandler', async (request, reply) => {
    const pepId = (request.params as { pepId?: string }).pepId
    if (pepId === undefined) return
    const pep =
      request.child && isUuid(pepId) ? await findPepOfChild(db, request.child.id, pepId) : undefined
    const template = pep && findTemplate(pep.formType, pep.templateVersion)
    if (!pep || !template) return reply.code(404).render('pages/404.njk')
    request.pep = {
      ...pep,
      template,
      yearGroupValue: isYearGroup(pep.yearGroup) ? pep.yearGroup : null,
    }
  })
}

export const pepOf = (request: FastifyRequest): PepInContext => request.pep!
