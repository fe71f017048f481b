import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { CHILD_CSV_COLUMNS, childImportSpec } from '../../domain/child-import.ts'
import { childProblemText } from '../../forms/child-messages.ts'
import { circumstanceMessage } from '../../forms/circumstance-messages.ts'
import type { Clock } from '../../domain/clock.ts'
import { normaliseUpn } from '../../domain/upn.ts'
import { paths } from '../../paths.ts'
import { importRoutes } from '../../shared/import/routes.ts'
import { IMPORT_TITLE, childrenImportedMessage } from './child-admin.presenter.ts'
import { caseReferencesOf, listOpenSchools, listSocialWorkers } from './child-admin.repository.ts'
import { upnsTaken } from '../../shared/uniqueness.ts'
import { importChildren } from './child-admin.service.ts'

export const IMPORT_MAX_BYTES = 10 * 1024 * 1024

/** Importing children from a CSV file (ADR 7's one import pipeline), and its template. */
export const childImportRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  options,
) => {
  const { db } = options
  await importRoutes(app, options, {
    path: paths.childAdmin.import(),
    template: {
      path: paths.childAdmin.importTemplate(),
      name: 'children-template',
      columns: CHILD_CSV_COLUMNS,
    },
    access: 'children.manage',
    pageAudit: 'child.form.view',
    title: IMPORT_TITLE,
    view: 'child-admin/views/import.njk',
    maxBytes: IMPORT_MAX_BYTES,
    importInto: (authority, who) => ({
      action: 'children.import',
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
      imported: (count) => ({
        message: childrenImportedMessage(count, authority.name),
        redirect: paths.children.list(),
      }),
    }),
  })
}
