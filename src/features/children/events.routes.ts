import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { childPageModel, refuseIfReadOnly } from '../../shared/child-header.ts'
import { actorFrom } from '../../shared/actor.ts'
import {
  ceaseCare,
  changeOwner,
  changePlacement,
  changeSchool,
  checkEvent,
  listPossibleOwners,
  type EventProblem,
} from './events.service.ts'
import {
  pageProblems,
  readDate,
  text,
  tooLong,
  type Body,
  urnProblem,
  type ReadProblem,
} from './history.form.ts'
import { EVENT_PAGE_TITLES, ownerItems } from './history.presenter.ts'

/** Whether the form alone found nothing wrong, so the change itself can be tried. */
const readWhole = (read: Record<string, ReadProblem>) => !Object.values(read).some(Boolean)

/** Only the service's checks, when the form could not be read whole: every problem at once. */
const checked = async (problems: Promise<EventProblem[]>) => ({
  ok: false as const,
  problems: await problems,
})

/** Recording the events of a child's history: a change of school, placement or owner, care ending. */
export const eventsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    model: Record<string, unknown>,
    status = 200,
  ) {
    const child = request.child!
    return reply.code(status).render(`children/views/${template}.njk`, {
      ...childPageModel(request, 'history'),
      backHref: paths.children.history(child.id),
      ...model,
    })
  }

  const view = {
    config: { access: { action: 'child.events.record', child: true }, audit: 'child.event.view' },
  } as const
  const change = {
    config: {
      access: { action: 'child.events.record', child: true },
      audit: RECORDED_IN_TRANSACTION,
    },
  } as const

  // Change of school
  app.get<{ Params: { childId: string } }>(
    paths.children.changeSchool(':childId'),
    view,
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      return renderForm(request, reply, 'change-school', {
        pageTitle: EVENT_PAGE_TITLES.changeSchool,
        values: {},
      })
    },
  )
  app.post<{ Params: { childId: string }; Body: Body }>(
    paths.children.changeSchool(':childId'),
    change,
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const child = request.child!
      const urn = text(request.body, 'urn')
      const reason = text(request.body, 'reason')
      const moved = readDate(request.body, 'movedOn')
      const read = {
        urn: urnProblem(urn),
        movedOn: moved.problem,
        reason: tooLong(reason, 'reason'),
      }
      const actor = actorFrom(request, clock)
      const movedOn = moved.value
      const result =
        movedOn && readWhole(read)
          ? await changeSchool(db, actor, { childId: child.id, urn, movedOn, reason })
          : await checked(
              checkEvent(db, actor, {
                kind: 'school_change',
                childId: child.id,
                urn: read.urn ? undefined : urn,
                movedOn,
              }),
            )
      if (!result.ok) {
        return renderForm(
          request,
          reply,
          'change-school',
          {
            pageTitle: EVENT_PAGE_TITLES.changeSchool,
            values: { urn, reason, movedOn: moved.typed },
            errors: pageProblems(['urn', 'movedOn', 'reason'], read, result.problems).errors,
          },
          400,
        )
      }
      const { school } = result.value
      request.flash('success', `Change of school to ${school.name} recorded`)
      return reply.redirect(paths.children.history(child.id), 303)
    },
  )

  // Change of placement
  app.get<{ Params: { childId: string } }>(
    paths.children.changePlacement(':childId'),
    view,
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      return renderForm(request, reply, 'change-placement', {
        pageTitle: EVENT_PAGE_TITLES.changePlacement,
        values: {},
      })
    },
  )
  app.post<{ Params: { childId: string }; Body: Body }>(
    paths.children.changePlacement(':childId'),
    change,
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const child = request.child!
      const placement = text(request.body, 'placement')
      const changed = readDate(request.body, 'changedOn')
      const read = { placement: tooLong(placement, 'placement'), changedOn: changed.problem }
      const actor = actorFrom(request, clock)
      const changedOn = changed.value
      const result =
        changedOn && readWhole(read)
          ? await changePlacement(db, actor, { childId: child.id, placement, changedOn })
          : await checked(
              checkEvent(db, actor, {
                kind: 'placement_change',
                childId: child.id,
                placement: read.placement ? undefined : placement,
                changedOn,
              }),
            )
      if (!result.ok) {
        return renderForm(
          request,
          reply,
          'change-placement',
          {
            pageTitle: EVENT_PAGE_TITLES.changePlacement,
            values: { placement, changedOn: changed.typed },
            errors: pageProblems(['placement', 'changedOn'], read, result.problems).errors,
          },
          400,
        )
      }
      request.flash('success', 'Change of placement recorded')
      return reply.redirect(paths.children.history(child.id), 303)
    },
  )

  // Change of record owner
  const ownerChoices = async (authorityId: string, chosen?: string) =>
    ownerItems(await listPossibleOwners(db, authorityId), chosen)
  app.get<{ Params: { childId: string } }>(
    paths.children.changeOwner(':childId'),
    view,
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const items = await ownerChoices(request.child!.authorityId)
      return renderForm(request, reply, 'change-owner', {
        pageTitle: EVENT_PAGE_TITLES.changeOwner,
        items,
      })
    },
  )
  app.post<{ Params: { childId: string }; Body: Body }>(
    paths.children.changeOwner(':childId'),
    change,
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const child = request.child!
      const chosen = text(request.body, 'owner')
      const [id = '', role = ''] = chosen.split(':')
      const result = await changeOwner(db, actorFrom(request, clock), {
        childId: child.id,
        owner: { id, role },
      })
      if (!result.ok) {
        const items = await ownerChoices(child.authorityId, chosen)
        return renderForm(
          request,
          reply,
          'change-owner',
          {
            pageTitle: EVENT_PAGE_TITLES.changeOwner,
            items,
            errors: pageProblems(['owner'], {}, result.problems).errors,
          },
          400,
        )
      }
      const { owner } = result.value
      request.flash('success', `${owner.displayName} is now the record owner`)
      return reply.redirect(paths.children.history(child.id), 303)
    },
  )

  // Ceased to be in care
  app.get<{ Params: { childId: string } }>(
    paths.children.ceaseCare(':childId'),
    view,
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      return renderForm(request, reply, 'cease-care', {
        pageTitle: EVENT_PAGE_TITLES.ceaseCare,
        values: {},
      })
    },
  )
  app.post<{ Params: { childId: string }; Body: Body }>(
    paths.children.ceaseCare(':childId'),
    change,
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const child = request.child!
      const ceased = readDate(request.body, 'ceasedOn')
      const reason = text(request.body, 'reason')
      const read = { ceasedOn: ceased.problem, reason: tooLong(reason, 'reason') }
      const actor = actorFrom(request, clock)
      const ceasedOn = ceased.value
      const result =
        ceasedOn && readWhole(read)
          ? await ceaseCare(db, actor, { childId: child.id, ceasedOn, reason })
          : await checked(
              checkEvent(db, actor, {
                kind: 'ceased',
                childId: child.id,
                ceasedOn,
                reason: read.reason ? undefined : reason,
              }),
            )
      if (!result.ok) {
        return renderForm(
          request,
          reply,
          'cease-care',
          {
            pageTitle: EVENT_PAGE_TITLES.ceaseCare,
            values: { reason, ceasedOn: ceased.typed },
            errors: pageProblems(['ceasedOn', 'reason'], read, result.problems).errors,
          },
          400,
        )
      }
      request.flash('success', 'Recorded. The record is now read-only.')
      return reply.redirect(paths.children.show(child.id), 303)
    },
  )
}
