import type { FastifyInstance, FastifyRequest } from 'fastify'
import { paths } from '../../paths.ts'
import { childPageModel } from '../../shared/child-header.ts'
import { pepTitle } from './pep.presenter.ts'
import type { Database } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import { isYearGroup, type YearGroup } from '../../domain/year-group.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import type { FormTemplate } from '../../forms/types.ts'
import type { PepReader } from '../../forms/reading.ts'
import { findPepOfChild, sharedPagesOf, type PepRow } from './peps.repository.ts'

export interface PepInContext extends PepRow {
  /** The template version the PEP was started on: it keeps it for life. */
  template: FormTemplate
  yearGroupValue: YearGroup | null
}

declare module 'fastify' {
  interface FastifyRequest {
    /** On PEP routes, the PEP the URL names, once proven to belong to the child in the URL. */
    pep: PepInContext | null
    /** On PEP routes, the pages of the PEP staff have shared with the young person. */
    pepSharedPages: ReadonlySet<string> | null
  }
}

/**
 * Every route under a PEP passes through here after the child check: the PEP must be the
 * child's own, else 404, so a PEP id never opens another child's PEP.
 */
export function resolvePeps(app: FastifyInstance, db: Database): void {
  app.decorateRequest('pep', null)
  app.decorateRequest('pepSharedPages', null)
  app.addHook('preHandler', async (request, reply) => {
    const pepId = (request.params as { pepId?: string }).pepId
    if (pepId === undefined) return
    const pep =
      request.child && isUuid(pepId) ? await findPepOfChild(db, request.child.id, pepId) : undefined
    const template = pep && findTemplate(pep.formType, pep.templateVersion)
    if (!pep || !template) return reply.notFound()
    request.pepSharedPages = await sharedPagesOf(db, pep.id)
    request.pep = {
      ...pep,
      template,
      yearGroupValue: isYearGroup(pep.yearGroup) ? pep.yearGroup : null,
    }
  })
}

export const pepOf = (request: FastifyRequest): PepInContext => request.pep!

const NOTHING_SHARED: ReadonlySet<string> = new Set()

/** Who is reading the PEP, for the reading rules (ADR 10): every view of a PEP asks with this. */
export const pepReader = (request: FastifyRequest): PepReader => ({
  role: request.actingRole,
  sharedPages: request.pepSharedPages ?? NOTHING_SHARED,
})

/** Whoever reads everything (the PDF kept at sign-off is theirs): a Virtual School consultant. */
export const FULL_READER: PepReader = { role: 'vs_consultant', sharedPages: NOTHING_SHARED }

/** What every page inside a PEP shows: the child, and the PEP's title and links. */
export function pepPageModel(request: FastifyRequest) {
  const pep = pepOf(request)
  return {
    ...childPageModel(request, 'peps'),
    pep: {
      id: pep.id,
      title: pepTitle(pep),
      contentsHref: paths.peps.contents(pep.childId, pep.id),
      readHref: paths.peps.read(pep.childId, pep.id),
    },
  }
}

/** The access rule of a route inside a PEP: a child route, needing the action. */
export const pepRoute = (
  action: 'pep.view' | 'pep.edit' | 'pep.complete' | 'pep.workflow' | 'pep.share',
) => ({ action, child: true }) as const
