import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { CIRCUMSTANCE_KINDS, type CircumstanceKind } from '../../domain/education-circumstance.ts'
import { CIRCUMSTANCE_FORM_TITLES, CIRCUMSTANCE_NAMES } from '../../forms/circumstance-messages.ts'
import type { FormErrors } from '../../forms/validation.ts'
import type { DateInputValues } from '../../forms/date-input.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { actorFrom } from '../../shared/actor.ts'
import { childPageModel, refuseIfReadOnly } from '../../shared/child-header.ts'
import { formatDate } from '../../views/format.ts'
import {
  childDateOfBirth,
  findCircumstance,
  listCircumstances,
} from './circumstances.repository.ts'
import { addCircumstance, endCircumstance } from './circumstances.service.ts'
import {
  EMPTY_CIRCUMSTANCE,
  KIND_SLUGS,
  readCircumstanceForm,
  readEndForm,
  refusalErrors,
  SLUG_OF,
  type TypedCircumstanceForm,
} from './circumstances.form.ts'
import { CIRCUMSTANCE_PAGE_TITLES, presentCircumstances } from './circumstances.presenter.ts'

type Params = { childId: string }
type KindParams = Params & { kind: string }
type EndParams = Params & { circumstanceId: string }

const READ = { action: 'child.view', child: true, reads: 'education' } as const
const WRITE = { action: 'child.events.record', child: true, reads: 'education' } as const

/**
 * A child's education circumstances over time (issue 17): alternative provision, part-time
 * timetables and NEET. Read by staff (the record's education part); recorded by the Virtual
 * School and the social worker or personal advisor ('child.events.record').
 */
export const circumstancesRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  app.get<{ Params: Params }>(
    paths.children.circumstances(':childId'),
    { config: { access: READ, audit: 'child.circumstances.view' } },
    async (request, reply) => {
      const child = request.child!
      const page = childPageModel(request, 'circumstances')
      const rows = await listCircumstances(db, child.id)
      const canRecord = page.can.recordEvents && !page.childHeader.ceased
      return reply.render('children/views/circumstances.njk', {
        ...page,
        pageTitle: CIRCUMSTANCE_PAGE_TITLES.list(child),
        ...presentCircumstances(child.id, rows, actorFrom(request, clock).today, canRecord),
        actions: canRecord
          ? CIRCUMSTANCE_KINDS.map((kind) => ({
              text: CIRCUMSTANCE_FORM_TITLES[kind],
              href: paths.children.addCircumstance(child.id, SLUG_OF[kind]),
            }))
          : [],
      })
    },
  )

  function renderAdd(
    request: FastifyRequest<{ Params: KindParams }>,
    reply: FastifyReply,
    kind: CircumstanceKind,
    form: { typed: TypedCircumstanceForm; errors?: FormErrors; status?: number },
  ) {
    const child = request.child!
    return reply.code(form.status ?? 200).render('children/views/circumstance-form.njk', {
      ...childPageModel(request, 'circumstances'),
      pageTitle: CIRCUMSTANCE_PAGE_TITLES.add(kind, child),
      heading: CIRCUMSTANCE_FORM_TITLES[kind],
      kind,
      values: form.typed,
      errors: form.errors,
      backHref: paths.children.circumstances(child.id),
    })
  }

  app.get<{ Params: KindParams }>(
    paths.children.addCircumstance(':childId', ':kind'),
    { config: { access: WRITE, audit: 'child.circumstances.form.view' } },
    async (request, reply) => {
      const kind = KIND_SLUGS[request.params.kind]
      if (!kind || !Object.hasOwn(KIND_SLUGS, request.params.kind)) return reply.notFound()
      if (refuseIfReadOnly(request, reply)) return reply
      return renderAdd(request, reply, kind, { typed: EMPTY_CIRCUMSTANCE })
    },
  )

  app.post<{ Params: KindParams; Body: Record<string, unknown> }>(
    paths.children.addCircumstance(':childId', ':kind'),
    { config: { access: WRITE, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const child = request.child!
      const kind = Object.hasOwn(KIND_SLUGS, request.params.kind)
        ? KIND_SLUGS[request.params.kind]
        : undefined
      if (!kind) return reply.notFound()
      if (refuseIfReadOnly(request, reply)) return reply
      const actor = actorFrom(request, clock)
      const form = readCircumstanceForm(kind, request.body, {
        today: actor.today,
        dateOfBirth: await childDateOfBirth(db, child.id),
      })
      if (!form.ok)
        return renderAdd(request, reply, kind, {
          typed: form.typed,
          errors: form.errors,
          status: 400,
        })
      const saved = await addCircumstance(db, actor, {
        childId: child.id,
        circumstance: form.value,
      })
      if (!saved.ok)
        return renderAdd(request, reply, kind, {
          typed: form.typed,
          errors: refusalErrors('startsOn-day', saved.error.code),
          status: 409,
        })
      request.flash('success', `${CIRCUMSTANCE_NAMES[kind]} recorded`)
      return reply.redirect(paths.children.circumstances(child.id), 303)
    },
  )

  async function renderEnd(
    request: FastifyRequest<{ Params: EndParams }>,
    reply: FastifyReply,
    form: { typed: { endsOn: DateInputValues }; errors?: FormErrors; status?: number },
  ) {
    const child = request.child!
    const period = await findCircumstance(db, child.id, request.params.circumstanceId)
    if (!period || period.endsOn !== null) return reply.notFound()
    return reply.code(form.status ?? 200).render('children/views/circumstance-end.njk', {
      ...childPageModel(request, 'circumstances'),
      pageTitle: CIRCUMSTANCE_PAGE_TITLES.end(child),
      what: CIRCUMSTANCE_NAMES[period.kind],
      detail:
        period.provider ??
        (period.hoursPerWeek !== null ? `${period.hoursPerWeek} hours a week` : null),
      from: formatDate(period.startsOn),
      values: form.typed,
      errors: form.errors,
      backHref: paths.children.circumstances(child.id),
    })
  }

  const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

  app.get<{ Params: EndParams }>(
    paths.children.endCircumstance(':childId', ':circumstanceId'),
    { config: { access: WRITE, audit: 'child.circumstances.form.view' } },
    async (request, reply) => {
      if (!ID.test(request.params.circumstanceId)) return reply.notFound()
      if (refuseIfReadOnly(request, reply)) return reply
      return renderEnd(request, reply, { typed: { endsOn: { day: '', month: '', year: '' } } })
    },
  )

  app.post<{ Params: EndParams; Body: Record<string, unknown> }>(
    paths.children.endCircumstance(':childId', ':circumstanceId'),
    { config: { access: WRITE, audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      const child = request.child!
      if (!ID.test(request.params.circumstanceId)) return reply.notFound()
      if (refuseIfReadOnly(request, reply)) return reply
      const period = await findCircumstance(db, child.id, request.params.circumstanceId)
      if (!period) return reply.notFound()
      const actor = actorFrom(request, clock)
      const form = readEndForm(period, request.body, actor.today)
      if (!form.ok)
        return renderEnd(request, reply, { typed: form.typed, errors: form.errors, status: 400 })
      const saved = await endCircumstance(db, actor, {
        childId: child.id,
        circumstanceId: period.id,
        endsOn: form.value,
      })
      if (!saved.ok) {
        if (saved.error.code === 'circumstance.already-ended')
          return reply.redirect(paths.children.circumstances(child.id), 303)
        return renderEnd(request, reply, {
          typed: form.typed,
          errors: refusalErrors('endsOn-day', saved.error.code),
          status: 409,
        })
      }
      request.flash(
        'success',
        `Last day of the ${CIRCUMSTANCE_NAMES[period.kind].toLowerCase()} recorded`,
      )
      return reply.redirect(paths.children.circumstances(child.id), 303)
    },
  )
}
