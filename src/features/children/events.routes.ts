import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { childPageModel, refuseIfReadOnly } from '../../shared/child-header.ts'
import { actorFrom } from '../../shared/actor.ts'
import { roleName } from './child-record.presenter.ts'
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
  type ReadProblem,
} from './history.form.ts'

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
        pageTitle: 'Record a change of school',
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
        urn: !urn
          ? { text: 'Enter the URN of the new school' }
          : !/^\d{6}$/.test(urn)
            ? { text: 'The URN must be 6 digits, like 123456' }
            : undefined,
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
            pageTitle: 'Record a change of school',
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
        pageTitle: 'Record a change of placement',
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
            pageTitle: 'Record a change of placement',
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
  async function ownerItems(authorityId: string, chosen?: string) {
    const owners = await listPossibleOwners(db, authorityId)
    return {
      items: owners.map((o) => ({
        value: `${o.id}:${o.role}`,
        text: `${o.displayName} (${roleName(o.role)})`,
        checked: chosen === `${o.id}:${o.role}`,
      })),
    }
  }
  app.get<{ Params: { childId: string } }>(
    paths.children.changeOwner(':childId'),
    view,
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const { items } = await ownerItems(request.child!.authorityId)
      return renderForm(request, reply, 'change-owner', {
        pageTitle: 'Change the record owner',
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
        const { items } = await ownerItems(child.authorityId, chosen)
        return renderForm(
          request,
          reply,
          'change-owner',
          {
            pageTitle: 'Change the record owner',
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
        pageTitle: 'Record that the child has ceased to be in care',
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
            pageTitle: 'Record that the child has ceased to be in care',
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
