import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { AuditAction } from '../../domain/audit.ts'
import type { Clock } from '../../domain/clock.ts'
import type { Action } from '../../domain/permissions.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { acceptUploads } from '../../plugins/uploads.ts'
import { actorFrom, type PersonActor } from '../actor.ts'
import type { AuthorityChoice } from '../authority-scope.ts'
import { chosenAuthorityOf, decorateChosenAuthority, loadAuthority } from '../choose-authority.ts'
import { sendExport } from '../export/send.ts'
import {
  importPageModel,
  importTemplate,
  runImport,
  type ImportOutcome,
  type ImportRequest,
} from './pipeline.ts'

/*
 * The routes of one CSV import (ADR 7's one import pipeline), the same steps for every import:
 * the page with the form, in the authority it is for (chosen among the person's, or 404); its
 * template, the header row alone; and the post, which runs the pipeline in that authority and
 * shows every problem of a refused file (400), or says what was imported and moves on.
 */

export interface ImportPages<Value> {
  /** The page with the form (GET), where the file is posted (POST). */
  path: string
  /** The template to fill in: the import's columns alone. */
  template: { path: string; name: string; columns: readonly string[] }
  /** Who may import, into the authorities where they may take this action. */
  access: Action
  /** What viewing the page records in the audit trail. */
  pageAudit: AuditAction
  title: string
  view: string
  /** What the page shows besides the authority and a refused file's problems. */
  pageModel?: Record<string, unknown>
  maxBytes: number
  /** One posted file's import into the authority, by the person posting it. */
  importInto(authority: AuthorityChoice, actor: PersonActor): ImportInto<Value>
}

export interface ImportInto<Value> extends Omit<
  ImportRequest<Value>,
  'file' | 'maxBytes' | 'authorityId'
> {
  /** Once every row is saved: what the person is told, and where they go next. */
  imported(count: number): { message: string; redirect: string }
}

type Body = Record<string, unknown> | undefined

export async function importRoutes<Value>(
  app: FastifyInstance,
  { db, clock }: { db: Database; clock: Clock },
  pages: ImportPages<Value>,
): Promise<void> {
  await acceptUploads(app, pages.maxBytes)

  const choose = { action: pages.access, title: pages.title, href: pages.path }
  const access = { action: pages.access }

  const render = (
    reply: FastifyReply,
    authority: AuthorityChoice,
    refused?: Extract<ImportOutcome, { ok: false }>,
  ) =>
    reply.code(refused ? 400 : 200).render(pages.view, {
      pageTitle: pages.title,
      authority,
      ...pages.pageModel,
      ...importPageModel(refused),
    })

  decorateChosenAuthority(app)
  app.get<{ Querystring: { authority?: string } }>(
    pages.path,
    {
      config: { access, audit: pages.pageAudit },
      preHandler: loadAuthority(db, choose, 'query'),
    },
    async (request, reply) => render(reply, chosenAuthorityOf(request)),
  )

  app.get(
    pages.template.path,
    { config: { access, audit: 'none' } },
    // Column names alone: no byte order mark, which would only be in Excel's way.
    async (_request, reply) =>
      sendExport(reply, 'csv', importTemplate(pages.template.name, pages.template.columns), {
        bom: false,
      }),
  )

  app.post<{ Body: Body }>(
    pages.path,
    {
      config: { access, audit: RECORDED_IN_TRANSACTION },
      preHandler: loadAuthority(db, choose, 'form'),
    },
    async (request, reply) => {
      const body = request.body ?? {}
      const authority = chosenAuthorityOf(request)
      const who = actorFrom(request, clock)
      const { imported, ...steps } = pages.importInto(authority, who)
      const outcome = await runImport(db, who, {
        ...steps,
        file: body.file,
        maxBytes: pages.maxBytes,
        authorityId: authority.id,
      })
      if (!outcome.ok) return render(reply, authority, outcome)
      const next = imported(outcome.count)
      request.flash('success', next.message)
      return reply.redirect(next.redirect, 303)
    },
  )
}
