import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { applicablePages, mayCompleteSection } from '../../forms/completion.ts'
import type { Section } from '../../forms/types.ts'
import { canAct } from '../../domain/permissions.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { refuseIfReadOnly } from '../../shared/child-header.ts'
import { attachmentDisposition } from '../../shared/download.ts'
import { mayReadPart } from '../../domain/visibility.ts'
import { holdsSection } from '../../domain/pep-workflow.ts'
import { pepOf, pepPageModel, pepReader, pepRoute, resolvePeps } from './pep-context.ts'
import { pageRoutes } from './page.routes.ts'
import { pageHistoryRoutes } from './page-history.routes.ts'
import { decoratePepPage } from './page-context.ts'
import { actionsRoutes } from './actions.routes.ts'
import { sharingRoutes } from './sharing.routes.ts'
import { pepDocumentsRoutes } from './documents.routes.ts'
import { meetingRecordRoutes } from './meeting-record.routes.ts'
import { pepExtras, pepRecordLinks } from './pep-record.presenter.ts'
import {
  contentsModel,
  pepDeadlines,
  pepSummaryRows,
  pepPdfFilename,
  pepTitle,
  readModel,
} from './pep.presenter.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { progressModel, timelineModel } from './progress.presenter.ts'
import { gatherFacts, isSchoolSection, schoolRole } from './workflow.service.ts'
import { eventsOf, liveDelegation } from './workflow.repository.ts'
import { pagesOf, sectionsOf } from './peps.repository.ts'
import { completeSection, contextOf } from './peps.service.ts'
import { pepPdfFor } from './pep-pdf.service.ts'
import { ownWordsOf } from '../young-person/voice.summary.ts'
import { pepCover } from './pep-cover.presenter.ts'
import { viewsOnBehalfRoutes } from './views-on-behalf.routes.ts'
import { voiceOpen } from '../young-person/voice.service.ts'
import { sentCarerViewsOf } from '../carer/carer-views.service.ts'
import { carerViewsRows } from './views.presenter.ts'

type Params = { childId: string; pepId: string }

/** A PEP's contents, its read view and marking its sections complete; its pages in page.routes.ts and page-history.routes.ts. */
export const pepPageRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  resolvePeps(app, db)
  decoratePepPage(app)
  await app.register(pageRoutes, { db, clock })
  await app.register(pageHistoryRoutes, { db })
  await app.register(actionsRoutes, { db, clock, baseUrl })
  await app.register(sharingRoutes, { db, clock })
  await app.register(pepDocumentsRoutes, { db, clock })
  await app.register(meetingRecordRoutes, { db, clock })
  await app.register(viewsOnBehalfRoutes, { db, clock, baseUrl })

  app.get<{ Params: Params }>(
    paths.peps.contents(':childId', ':pepId'),
    { config: { access: pepRoute('pep.view'), audit: 'pep.view' } },
    async (request, reply) => {
      const pep = pepOf(request)
      const [pages, settings] = await Promise.all([
        pagesOf(db, pep.id),
        loadAuthoritySettings(db, pep.authorityId),
      ])
      const [sections, facts, delegation, events, pdf] = await Promise.all([
        sectionsOf(db, pep.id),
        gatherFacts(db, pep, actorFrom(request, clock), { pages, settings }),
        liveDelegation(db, pep.id),
        eventsOf(db, pep.id),
        db.selectFrom('pep_pdf').select('pep_id').where('pep_id', '=', pep.id).executeTakeFirst(),
      ])
      const readOnly = request.child!.status === 'ceased'
      const inProgress = facts.state !== 'signed_off'
      const progress = mayReadPart(request.actingRole, 'pep-progress')
      return reply.render('peps/views/contents.njk', {
        ...pepPageModel(request),
        pageTitle: `${pepTitle(pep)} – ${request.child!.firstName} ${request.child!.lastName}`,
        summaryRows: pepSummaryRows(
          pep,
          inProgress && progress ? pepDeadlines(pep, settings) : undefined,
        ),
        progress: progressModel(
          pep,
          facts,
          delegation,
          request.actingRole,
          readOnly,
          pdf !== undefined,
        ),
        showProgress: progress,
        // The young person's views: whether they gave them themselves, and when (issue 20).
        youngPersonViews: (await ownWordsOf(db, pep, pages, request.child!.firstName)).note,
        // Staff who record the meeting may record the views on the young person's behalf.
        onBehalfHref:
          !readOnly &&
          request.actingRole !== null &&
          canAct([request.actingRole], 'pep.meeting.record') &&
          (await voiceOpen(db, pep)).ok
            ? paths.peps.viewsOnBehalf(pep.childId, pep.id)
            : undefined,
        // What carers sent for the meeting (staff and carers read it; the young person does not).
        carerViews: mayReadPart(request.actingRole, 'carer-views')
          ? carerViewsRows(await sentCarerViewsOf(db, pep.id))
          : [],
        recordLinks: await pepRecordLinks(db, pep, request.actingRole),
        timeline: progress ? timelineModel(events) : [],
        sections: contentsModel(
          { ...pep, status: facts.state },
          pages,
          sections,
          pepReader(request),
          contextOf(pep.yearGroupValue, pages),
          readOnly,
          delegation,
        ),
      })
    },
  )

  app.get<{ Params: Params }>(
    paths.peps.pdf(':childId', ':pepId'),
    { config: { access: pepRoute('pep.view'), audit: 'pep.pdf.download' } },
    async (request, reply) => {
      const pep = pepOf(request)
      const pdf = await db
        .selectFrom('pep_pdf')
        .select('content')
        .where('pep_id', '=', pep.id)
        .executeTakeFirst()
      // The PDF kept at sign-off holds everything; whoever may read less gets their own copy,
      // made now from the same signed-off answers through the same reading rules (ADR 10).
      // Before sign-off nothing is kept: the PDF is made now, marked DRAFT on every page.
      const reader = pepReader(request)
      const childName = `${request.child!.firstName} ${request.child!.lastName}`
      const content = await pepPdfFor(db, pep, reader, {
        childName,
        at: clock.now(),
        kept: pdf?.content ?? null,
      })
      // The case reference names the file for those who may read it; the others get the name.
      const caseReference = mayReadPart(reader.role, 'core-data')
        ? (
            await db
              .selectFrom('child')
              .select('case_reference')
              .where('id', '=', pep.childId)
              .executeTakeFirstOrThrow()
          ).case_reference
        : null
      return reply
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          attachmentDisposition(pepPdfFilename(pep, { caseReference, name: childName })),
        )
        .header('x-content-type-options', 'nosniff')
        .send(content)
    },
  )

  app.get<{ Params: Params }>(
    paths.peps.read(':childId', ':pepId'),
    { config: { access: pepRoute('pep.view'), audit: 'pep.read' } },
    async (request, reply) => {
      const pep = pepOf(request)
      const [pages, sections] = await Promise.all([pagesOf(db, pep.id), sectionsOf(db, pep.id)])
      // The same cover as the PDF's first page, through the same reading rules (ADR 10).
      const cover = await pepCover(db, pep, pepReader(request), pages)
      return reply.render('peps/views/read.njk', {
        ...pepPageModel(request),
        pageTitle: `${pepTitle(pep)} – ${request.child!.firstName} ${request.child!.lastName}`,
        summaryRows: cover.summary.map((row) => ({
          key: { text: row.label },
          value: { text: row.value },
        })),
        professionals: cover.professionals.map((p) => [
          { text: p.name },
          { text: p.role },
          { text: p.email },
        ]),
        extras: await pepExtras(db, pep, request.actingRole),
        sections: readModel(
          pep,
          pepReader(request),
          pages,
          sections,
          contextOf(pep.yearGroupValue, pages),
        ),
      })
    },
  )

  // One click no longer locks a section: the button asks first, saying what it locks.
  app.get<{ Params: Params & { sectionId: string } }>(
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
