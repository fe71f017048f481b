import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { actorFrom } from '../../shared/actor.ts'
import { formatDateTime } from '../../views/format.ts'
import { pepOf, resolvePeps } from '../peps/pep-context.ts'
import { termWords } from '../young-person/young-person.presenter.ts'
import {
  carerViewsOpen,
  findCarerViews,
  saveCarerViews,
  type CarerViews,
} from './carer-views.service.ts'
import {
  CARER_VIEWS_FIELDS,
  readCarerViewsForm,
  type CarerViewsValues,
} from './carer-views.form.ts'
import { CARER_VIEWS_REFUSED, CARER_WORDS } from './carer.presenter.ts'

type Params = { childId: string; pepId: string }

/** Only the carer of a child placed with them (ADR 8), on a PEP of that child (404 otherwise). */
const OWN = { action: 'carer.own', child: true } as const

/** The carer's views for a PEP (issue 20): what is going well, worries, what would help. */
export const carerViewsRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  resolvePeps(app, db)

  function render(
    request: FastifyRequest,
    reply: FastifyReply,
    views: CarerViews | undefined,
    typed?: { values: CarerViewsValues; errors: FormErrors },
  ) {
    const pep = pepOf(request)
    const open = carerViewsOpen(pep.status, views)
    const values: CarerViewsValues = typed?.values ?? {
      goingWell: views?.goingWell ?? '',
      worries: views?.worries ?? '',
      wouldHelp: views?.wouldHelp ?? '',
      version: String(views?.version ?? 0),
    }
    return reply.code(typed ? 400 : 200).render('carer/views/views.njk', {
      pageTitle: CARER_WORDS.viewsTitle,
      caption: `${request.child!.firstName} ${request.child!.lastName}: ${termWords(pep)} PEP`,
      words: CARER_WORDS,
      homeHref: paths.carer.home(),
      action: paths.carer.views(pep.childId, pep.id),
      fields: CARER_VIEWS_FIELDS.map((f) => ({ ...f, value: values[f.name] })),
      version: values.version,
      open: open.ok,
      closedWords: open.ok
        ? undefined
        : views?.sentAt
          ? CARER_WORDS.viewsSent(formatDateTime(views.sentAt))
          : CARER_WORDS.viewsClosed,
      errors: typed?.errors,
    })
  }

  app.get<{ Params: Params }>(
    paths.carer.views(':childId', ':pepId'),
    { config: { access: OWN, audit: 'carer.views.view' } },
    async (request, reply) => {
      const pep = pepOf(request)
      return render(request, reply, await findCarerViews(db, pep.id, request.user!.id))
    },
  )

  app.post<{ Params: Params; Body: Record<string, unknown> | undefined }>(
    paths.carer.views(':childId', ':pepId'),
    { config: { access: OWN, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const pep = pepOf(request)
      const read = readCarerViewsForm(request.body)
      if (!read.ok)
        return render(request, reply, await findCarerViews(db, pep.id, request.user!.id), read)
      const saved = await saveCarerViews(db, actorFrom(request, clock), {
        pep,
        fromVersion: read.value.fromVersion,
        text: read.value.text,
        send: read.value.send,
        baseUrl,
      })
      if (!saved.ok) {
        const views = await findCarerViews(db, pep.id, request.user!.id)
        if (saved.error.code === 'carer-views.changed') {
          // What they typed stays on the page; the message says why it was not saved.
          const message = CARER_VIEWS_REFUSED[saved.error.code]
          return render(request, reply, views, {
            values: {
              ...read.value.text,
              version: String(views?.version ?? 0),
            },
            errors: { list: [{ text: message, href: '#goingWell' }], fields: {} },
          })
        }
        request.flash('info', CARER_VIEWS_REFUSED[saved.error.code])
        return reply.redirect(paths.carer.views(pep.childId, pep.id), 303)
      }
      if (read.value.send) {
        request.flash('success', CARER_WORDS.viewsThanks)
        return reply.redirect(paths.carer.home(), 303)
      }
      request.flash('success', CARER_WORDS.viewsSaved)
      return reply.redirect(paths.carer.views(pep.childId, pep.id), 303)
    },
  )
}
