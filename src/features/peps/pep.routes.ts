import { withTermAttainment } from '../attendance/pep-attainment.presenter.ts'
import { reachesRecord } from '../../shared/child-header.ts'
import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { canAct } from '../../domain/permissions.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { attachmentDisposition } from '../../shared/download.ts'
import { mayReadPart } from '../../domain/visibility.ts'
import { pepOf, pepPageModel, pepReader, pepRoute, resolvePeps } from './pep-context.ts'
import { pageRoutes } from './page.routes.ts'
import { pageHistoryRoutes } from './page-history.routes.ts'
import { decoratePepPage } from './page-context.ts'
import { actionsRoutes } from './actions.routes.ts'
import { partsRoutes } from './parts.routes.ts'
import { completeRoutes } from './complete.routes.ts'
import { sharingRoutes } from './sharing.routes.ts'
import { pepDocumentsRoutes } from './documents.routes.ts'
import { meetingRecordRoutes } from './meeting-record.routes.ts'
import { pepExtras, pepRecordLinks } from './pep-record.presenter.ts'
import {
  contentsModel,
  pepDeadlines,
  pepSummaryRows,
  pepPdfFilename,
  readModel,
} from './pep.presenter.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { progressModel, timelineModel } from './progress.presenter.ts'
import { gatherFacts } from './workflow.service.ts'
import { eventsOf, liveDelegation } from './workflow.repository.ts'
import { onlyPartPages, pepTitles } from './pep.presenter.ts'
import { pagesOf, sectionsOf } from './peps.repository.ts'
import { contextOf } from './peps.service.ts'
import { pepPdfFor } from './pep-pdf.service.ts'
import { ownWordsOf } from '../young-person/voice.service.ts'
import { pepCover } from './pep-cover.presenter.ts'
import { blankPepLink } from './blank-pep.presenter.ts'
import { viewsOnBehalfRoutes } from './views-on-behalf.routes.ts'
import { findViewsSent, voiceOpen } from '../young-person/voice.service.ts'
import { sentCarerViewsOf } from '../carer/carer-views.service.ts'
import { carerViewsRows } from './views.presenter.ts'

type Params = { childId: string; pepId: string }

/**
 * A PEP's contents, its read view and its PDF; under them its pages (page.routes.ts and
 * page-history.routes.ts), its steps (actions.routes.ts), marking a section complete
 * (complete.routes.ts), sharing, documents, the meeting record and views.
 */
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
  await app.register(partsRoutes, { db, clock })
  await app.register(completeRoutes, { db, clock })
  await app.register(sharingRoutes, { db, clock })
  await app.register(pepDocumentsRoutes, { db, clock })
  await app.register(meetingRecordRoutes, { db, clock })
  await app.register(viewsOnBehalfRoutes, { db, clock, baseUrl })

  app.get<{ Params: Params }>(
    paths.peps.contents(':childId', ':pepId'),
    { config: { access: pepRoute('pep.view'), audit: 'pep.view' } },
    async (request, reply) => {
      const pep = pepOf(request)
      // Each of the PEP's facts read once, for the progress, the contents and the views alike.
      const [pages, settings, sections, delegation, sent] = await Promise.all([
        pagesOf(db, pep.id),
        loadAuthoritySettings(db, pep.authorityId),
        sectionsOf(db, pep.id),
        liveDelegation(db, pep.id),
        findViewsSent(db, pep.id),
      ])
      const [facts, events, pdf, ownWords] = await Promise.all([
        // The PEP's row as this request read it (pep-context.ts): this page only reads.
        gatherFacts(db, pep, actorFrom(request, clock), {
          pages,
          settings,
          sections,
          delegation: { live: delegation },
          current: pep,
        }),
        eventsOf(db, pep.id),
        db.selectFrom('pep_pdf').select('pep_id').where('pep_id', '=', pep.id).executeTakeFirst(),
        ownWordsOf(db, pep, pages, request.child!.firstName, { sent }),
      ])
      const readOnly = request.child!.status === 'ceased'
      const inProgress = facts.state !== 'signed_off'
      const progress = mayReadPart(request.actingRole, 'pep-progress')
      return reply.render('peps/views/contents.njk', {
        ...pepPageModel(request),
        pageTitle: pepTitles.pep(pep, request.child!),
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
          request.user!.id,
        ),
        showProgress: progress,
        // A blank of this form type, to print for the meeting (staff only, issue 21).
        blankPep:
          request.actingRole !== null && canAct([request.actingRole], 'pep.blank')
            ? blankPepLink(pep.formType)
            : undefined,
        // The young person's views: whether they gave them themselves, and when (issue 20).
        youngPersonViews: ownWords.note,
        // Staff who record the meeting may record the views on the young person's behalf.
        onBehalfHref:
          !readOnly &&
          reachesRecord(request) &&
          request.actingRole !== null &&
          canAct([request.actingRole], 'pep.meeting.record') &&
          (await voiceOpen(db, pep, { sent, sections })).ok
            ? paths.peps.viewsOnBehalf(pep.childId, pep.id)
            : undefined,
        // What carers sent for the meeting (staff and carers read it; the young person does not).
        carerViews: mayReadPart(request.actingRole, 'carer-views')
          ? carerViewsRows(await sentCarerViewsOf(db, pep.id))
          : [],
        recordLinks: await pepRecordLinks(db, pep, request.actingRole),
        timeline: progress ? timelineModel(events) : [],
        sections: onlyPartPages(
          contentsModel(
            { ...pep, status: facts.state },
            pages,
            sections,
            pepReader(request),
            contextOf(pep.yearGroupValue, pages),
            readOnly,
            delegation,
          ),
          request.partPages,
        ),
        // A colleague given part of the pages reads those pages alone (issue 15).
        partOnly: request.partPages !== null,
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
        pageTitle: pepTitles.pep(pep, request.child!),
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
        // Who gave the young person's views, and when (issue 20), under Section C.
        youngPersonViews: (await ownWordsOf(db, pep, pages, request.child!.firstName)).note,
        // The attainment page with the term's levels from the record (issue 19).
        sections: await withTermAttainment(
          db,
          pep,
          request.actingRole,
          readModel(pep, pepReader(request), pages, sections, contextOf(pep.yearGroupValue, pages)),
        ),
      })
    },
  )
}
