import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { CHILD_CSV_COLUMNS, childImportSpec } from '../../domain/child-import.ts'
import { childProblemText } from '../../forms/child-messages.ts'
import { circumstanceMessage } from '../../forms/circumstance-messages.ts'
import type { Clock } from '../../domain/clock.ts'
import { normaliseUpn } from '../../domain/upn.ts'
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
import { CHANGE, FORM_PAGE } from './child-admin-context.ts'
import { authorityFor } from '../../shared/choose-authority.ts'
import { IMPORT_TITLE, childrenImportedMessage } from './child-admin.presenter.ts'
import { caseReferencesOf, listOpenSchools, listSocialWorkers } from './child-admin.repository.ts'
import { upnsTaken } from '../../shared/uniqueness.ts'
import { importChildren } from './child-admin.service.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'

export const IMPORT_MAX_BYTES = 10 * 1024 * 1024

type Body = Record<string, unknown> | undefined

/** Importing children from a CSV file (ADR 7's one import pipeline), and its template. */
export const childImportRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  await acceptUploads(app, IMPORT_MAX_BYTES)

  const choose = {
    action: 'children.manage',
    title: IMPORT_TITLE,
    href: paths.childAdmin.import(),
  } as const

  async function renderImport(
    reply: FastifyReply,
    authority: AuthorityChoice,
    refused?: Extract<ImportOutcome, { ok: false }>,
  ) {
    return reply.code(refused ? 400 : 200).render('child-admin/views/import.njk', {
      pageTitle: IMPORT_TITLE,
      authority,
      ...importPageModel(refused),
    })
  }

  app.get<{ Querystring: { authority?: string } }>(
    paths.childAdmin.import(),
    { config: FORM_PAGE },
    async (request, reply) => {
      const authority = await authorityFor(db, request, reply, request.query.authority, choose)
      if (!authority) return reply
      return renderImport(reply, authority)
    },
  )

  app.get(
    paths.childAdmin.importTemplate(),
    { config: { access: { action: 'children.manage' }, audit: 'none' } },
    // Column names alone: no byte order mark, which would only be in Excel's way.
    async (_request, reply) =>
      sendExport(reply, 'csv', importTemplate('children-template', CHILD_CSV_COLUMNS), {
        bom: false,
      }),
  )

  app.post<{ Body: Body }>(
    paths.childAdmin.import(),
    { config: CHANGE },
    async (request, reply) => {
      const body = request.body ?? {}
      const authority = await authorityFor(db, request, reply, body.authority ?? '', choose)
      if (!authority) return reply
      const who = actorFrom(request, clock)
      const outcome = await runImport(db, who, {
        file: body.file,
        maxBytes: IMPORT_MAX_BYTES,
        action: 'children.import',
        authorityId: authority.id,
        async spec(file) {
          const upnAt = file.header.indexOf('upn')
          const upns = file.rows.map((r) => normaliseUpn(r.cells[upnAt] ?? '')).filter(Boolean)
          const [schools, owners, existing, existingUpns] = await Promise.all([
            listOpenSchools(db, authority.id),
            listSocialWorkers(db, authority.id),
            caseReferencesOf(db, authority.id),
            upnAt === -1 ? new Set<string>() : upnsTaken(db, upns),
          ])
          const byUrn = new Map(schools.flatMap((s) => (s.urn ? [[s.urn, s.id] as const] : [])))
          const byEmail = new Map(owners.map((o) => [o.email.toLowerCase(), o.id]))
          return childImportSpec({
            today: who.today,
            resolveSchool: (urn) => {
              const id = byUrn.get(urn)
              return id ? { id } : { error: `No open school of ${authority.name} has URN ${urn}` }
            },
            resolveOwner: (email) => {
              const id = byEmail.get(email.toLowerCase())
              return id ? { id } : { error: `${email} is not a social worker of ${authority.name}` }
            },
            existingCaseReferences: existing,
            existingUpns,
            words: childProblemText,
            circumstanceWords: circumstanceMessage,
          })
        },
        save: (children) => importChildren(db, who, authority.id, children),
        raceMessage:
          'Nothing was imported: someone added a child with one of these case references or UPNs meanwhile. Upload the file again',
      })
      if (!outcome.ok) return renderImport(reply, authority, outcome)
      request.flash('success', childrenImportedMessage(outcome.count, authority.name))
      return reply.redirect(paths.children.list(), 303)
    },
  )
}
