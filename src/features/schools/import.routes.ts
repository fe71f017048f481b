import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { SCHOOL_CSV_COLUMNS, schoolImportSpec } from '../../domain/school.ts'
import { schoolProblemText } from '../../forms/school-messages.ts'
import { paths } from '../../paths.ts'
import { acceptUploads } from '../../plugins/uploads.ts'
import { actorFrom } from '../../shared/actor.ts'
import { sendExport } from '../../shared/export/send.ts'
import {
  importPageModel,
  importTemplate,
  runImport,
  type ImportOutcome,
} from '../../shared/import/pipeline.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import type { SchoolsRouteOptions } from './routes.ts'
import { SCHOOL_CHANGE, schoolPage } from './school-context.ts'
import { authorityFor } from '../../shared/choose-authority.ts'
import type { Body } from './school.form.ts'
import { allUrns } from '../../shared/uniqueness.ts'
import { IMPORT_TITLE, importedMessage } from './schools.presenter.ts'
import { importSchools } from './schools.service.ts'

const IMPORT_MAX_BYTES = 5 * 1024 * 1024

/** Importing schools from a CSV file (ADR 7's one import pipeline), and its template. */
export const schoolImportRoutes: FastifyPluginAsync<SchoolsRouteOptions> = async (
  app,
  { db, clock },
) => {
  await acceptUploads(app, IMPORT_MAX_BYTES)

  const choose = {
    action: 'schools.manage',
    title: IMPORT_TITLE,
    href: paths.schools.import(),
  } as const

  const renderImport = (
    reply: FastifyReply,
    authority: AuthorityChoice,
    refused?: Extract<ImportOutcome, { ok: false }>,
  ) =>
    reply.code(refused ? 400 : 200).render('schools/views/import.njk', {
      pageTitle: IMPORT_TITLE,
      authority,
      ...importPageModel(refused),
    })

  app.get<{ Querystring: { authority?: string } }>(
    paths.schools.import(),
    { config: schoolPage('school.form.view') },
    async (request, reply) => {
      const authority = await authorityFor(db, request, reply, request.query.authority, choose)
      if (!authority) return reply
      return renderImport(reply, authority)
    },
  )

  app.get(
    paths.schools.importTemplate(),
    { config: { access: { action: 'schools.manage' }, audit: 'none' } },
    async (_request, reply) =>
      sendExport(reply, 'csv', importTemplate('schools-template', SCHOOL_CSV_COLUMNS), {
        bom: false,
      }),
  )

  app.post<{ Body: Body }>(
    paths.schools.import(),
    { config: SCHOOL_CHANGE },
    async (request, reply) => {
      const body = request.body ?? {}
      const authority = await authorityFor(db, request, reply, body.authority ?? '', choose)
      if (!authority) return reply
      const who = actorFrom(request, clock)
      const outcome = await runImport(db, who, {
        file: body.file,
        maxBytes: IMPORT_MAX_BYTES,
        action: 'schools.import',
        authorityId: authority.id,
        spec: async () => schoolImportSpec(await allUrns(db), schoolProblemText),
        save: (schools) => importSchools(db, who, authority.id, schools),
        raceMessage:
          'Nothing was imported: a school with one of these URNs was added meanwhile. Upload the file again',
      })
      if (!outcome.ok) return renderImport(reply, authority, outcome)
      request.flash('success', importedMessage(outcome.count))
      return reply.redirect(paths.schools.list(), 303)
    },
  )
}
