import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { holdsAnyPart, holdsPage, sectionOpen } from '../../domain/pep-workflow.ts'
import { findPage, mayEditPage } from '../../forms/completion.ts'
import type { Section } from '../../forms/types.ts'
import { holds } from '../../forms/conditions.ts'
import { mayReadPage, readableQuestions } from '../../forms/reading.ts'
import { refuseIfReadOnly } from '../../shared/child-header.ts'
import { pepOf, pepReader } from './pep-context.ts'
import { visibleSections } from './pep.presenter.ts'
import { pageLockReason } from './page.presenter.ts'
import { pagesOf, sectionsOf } from './peps.repository.ts'
import { mandatoryOverrides } from '../../shared/settings.ts'
import { contextOf } from './peps.service.ts'
import { liveDelegation } from './workflow.repository.ts'
import { isSchoolSection, schoolRole } from './workflow.service.ts'
import { formatDateTime } from '../../views/format.ts'
import { ownWordsOf } from '../young-person/voice.service.ts'

/** A page of a PEP's form as the URL names it, with what this reader may do on it. */
export type PepPageInContext = NonNullable<Awaited<ReturnType<typeof findPepPage>>>

declare module 'fastify' {
  interface FastifyRequest {
    /** On a PEP page's routes (`:pageId`): the page, once proven to apply and be readable. */
    pepPage: PepPageInContext | null
    /** On a PEP section's routes (`:sectionId`): the section, once proven in the PEP's template. */
    pepSection: Section | null
  }
}

/** Lets the PEP routes carry the page or section their URL names (once, where they are registered). */
export function decoratePepPage(app: FastifyInstance): void {
  app.decorateRequest('pepPage', null)
  app.decorateRequest('pepSection', null)
}

/** The page the URL names, if it is in the PEP's template and applies to this child. */
async function findPepPage(db: Database, request: FastifyRequest) {
  const pep = pepOf(request)
  const found = findPage(pep.template, (request.params as { pageId: string }).pageId)
  if (!found) return undefined
  const [pages, sections, overrides, delegation] = await Promise.all([
    pagesOf(db, pep.id),
    sectionsOf(db, pep.id),
    mandatoryOverrides(db, pep.authorityId, pep.formType),
    liveDelegation(db, pep.id),
  ])
  const context = contextOf(pep.yearGroupValue, pages)
  if (!holds(found.page.condition, context)) return undefined
  const role = request.actingRole
  const reader = pepReader(request)
  if (!visibleSections(pep, reader).includes(found.section)) return undefined
  if (!mayReadPage(reader, found.section, found.page)) return undefined
  const complete = Boolean(sections.get(found.section.id)?.completedAt)
  // Section C in the young person's own words: staff read whose words they are (issue 20).
  const own =
    found.section.id === 'C' && role !== 'young_person'
      ? await ownWordsOf(db, pep, pages, request.child!.firstName)
      : undefined
  const needsDelegation = schoolRole(role) && isSchoolSection(found.section.id)
  const delegatedToMe = holdsPage(delegation, request.user!.id, found.section.id, found.page.id)
  const reason = pageLockReason({
    ceased: request.child!.status === 'ceased',
    sectionOpen: sectionOpen(pep.status, found.section.id),
    pepStatus: pep.status,
    section: found.section,
    complete,
    mayEdit: mayEditPage(found.section, found.page, role),
    waitingForDelegation: needsDelegation && !delegatedToMe,
    notDelegatedPage: holdsAnyPart(delegation, request.user!.id),
  })
  return {
    ...found,
    pep,
    /** What this reader may read of the page (all of it, if they may change it). */
    questions: readableQuestions(reader, found.section, found.page),
    pages,
    context,
    overrides,
    complete,
    editable: reason === undefined,
    reason,
    saved: pages.get(found.page.id),
    ownWords: own?.ownPages.has(found.page.id)
      ? `These answers are ${request.child!.firstName}’s own words, saved by ${request.child!.firstName} on ${formatDateTime(pages.get(found.page.id)!.savedAt)}.${own.note ? ` ${own.note}` : ''}`
      : own?.note,
  }
}

/**
 * The pre-handler of a PEP page's routes: loads the page the URL names, 404 when it is not in
 * the PEP's template, does not apply to the child or is not this reader's to read.
 */
export const loadPepPage =
  (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
    const page = await findPepPage(db, request)
    if (!page) return reply.notFound()
    request.pepPage = page
  }

/** Before loading anything to change: a child who has ceased to be in care is read-only. */
export const readOnlyRefused = async (request: FastifyRequest, reply: FastifyReply) => {
  if (refuseIfReadOnly(request, reply)) return reply
}

/** The pre-handler of a PEP section's routes: the section the URL names, 404 if not in the template. */
export const loadPepSection = async (request: FastifyRequest, reply: FastifyReply) => {
  const { sectionId } = request.params as { sectionId: string }
  const section = pepOf(request).template.sections.find((s) => s.id === sectionId)
  if (!section) return reply.notFound()
  request.pepSection = section
}

/** The section the pre-handler loaded. */
export const pepSectionOf = (request: FastifyRequest): Section => request.pepSection!

/** The page the pre-handler loaded. */
export const pepPageOf = (request: FastifyRequest): PepPageInContext => request.pepPage!
