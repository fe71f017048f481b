import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { FormProblems } from '../../forms/validation.ts'
import { formatDate } from '../../views/format.ts'
import { childPageModel, refuseIfReadOnly } from '../../shared/child-header.ts'
import { actorFrom } from '../../shared/actor.ts'
import { roleName } from './child-record.presenter.ts'
import { findChildRecord } from './children.repository.ts'
import { ceaseCare, changeOwner, changePlacement, changeSchool } from './events.service.ts'
import {
  currentSchoolPlacement,
  findOpenSchoolByUrn,
  listPossibleOwners,
} from './history.repository.ts'
import { TEXT_MAX, readPastDate as readDate, text, type Body } from './history.form.ts'

/** Recording the events of a child's history: a change of school, placement or owner, care ending. */
export const eventsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  const today = () => londonDate(clock.now())
  const readPastDate = (
    body: Body | undefined,
    prefix: string,
    label: string,
    problems: FormProblems,
    earliest?: { date: string; words: string },
  ) => readDate(today(), body, prefix, label, problems, earliest)

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
      const problems = new FormProblems()
      const urn = text(request.body, 'urn')
      const reason = text(request.body, 'reason')
      const school = /^\d{6}$/.test(urn)
        ? await findOpenSchoolByUrn(db, child.authorityId, urn)
        : undefined
      if (!urn) problems.add('urn', 'Enter the URN of the new school')
      else if (!/^\d{6}$/.test(urn)) problems.add('urn', 'The URN must be 6 digits, like 123456')
      else if (!school) problems.add('urn', 'There is no open school with that URN')
      const current = await currentSchoolPlacement(db, child.id)
      if (school && current?.school_id === school.id)
        problems.add('urn', 'That is the school the child is at now')
      const moved = readPastDate(
        request.body,
        'movedOn',
        'the date of the move',
        problems,
        current
          ? {
              date: current.started_on,
              words: `they started at their current school (${formatDate(current.started_on)})`,
            }
          : undefined,
      )
      if (reason.length > TEXT_MAX)
        problems.add('reason', `The reason must be ${TEXT_MAX} characters or fewer`)
      if (problems.any || !school || !moved.value) {
        return renderForm(
          request,
          reply,
          'change-school',
          {
            pageTitle: 'Record a change of school',
            values: { urn, reason, movedOn: moved.typed },
            errors: problems.errors,
          },
          400,
        )
      }
      await changeSchool(db, actorFrom(request, clock), {
        childId: child.id,
        school,
        movedOn: moved.value,
        reason,
      })
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
      const problems = new FormProblems()
      const placement = text(request.body, 'placement')
      if (!placement) problems.add('placement', 'Enter the new placement')
      else if (placement.length > TEXT_MAX)
        problems.add('placement', `The placement must be ${TEXT_MAX} characters or fewer`)
      const record = await findChildRecord(db, child.id)
      const changed = readPastDate(
        request.body,
        'changedOn',
        'the date of the change',
        problems,
        record ? { date: record.enteredCareOn, words: 'they entered care' } : undefined,
      )
      if (problems.any || !changed.value) {
        return renderForm(
          request,
          reply,
          'change-placement',
          {
            pageTitle: 'Record a change of placement',
            values: { placement, changedOn: changed.typed },
            errors: problems.errors,
          },
          400,
        )
      }
      await changePlacement(db, actorFrom(request, clock), {
        childId: child.id,
        placement,
        changedOn: changed.value,
      })
      request.flash('success', 'Change of placement recorded')
      return reply.redirect(paths.children.history(child.id), 303)
    },
  )

  // Change of record owner
  async function ownerItems(authorityId: string, chosen?: string) {
    const owners = await listPossibleOwners(db, authorityId)
    return {
      owners,
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
      const { owners, items } = await ownerItems(child.authorityId, chosen)
      const owner = owners.find((o) => `${o.id}:${o.role}` === chosen)
      if (!owner) {
        const problems = new FormProblems()
        problems.add('owner', 'Select the new record owner')
        return renderForm(
          request,
          reply,
          'change-owner',
          { pageTitle: 'Change the record owner', items, errors: problems.errors },
          400,
        )
      }
      await changeOwner(db, actorFrom(request, clock), { childId: child.id, owner })
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
      const problems = new FormProblems()
      const record = await findChildRecord(db, child.id)
      const ceased = readPastDate(
        request.body,
        'ceasedOn',
        'the date they ceased to be in care',
        problems,
        record ? { date: record.enteredCareOn, words: 'they entered care' } : undefined,
      )
      const reason = text(request.body, 'reason')
      if (!reason) problems.add('reason', 'Enter why they ceased to be in care')
      else if (reason.length > TEXT_MAX)
        problems.add('reason', `The reason must be ${TEXT_MAX} characters or fewer`)
      if (problems.any || !ceased.value) {
        return renderForm(
          request,
          reply,
          'cease-care',
          {
            pageTitle: 'Record that the child has ceased to be in care',
            values: { reason, ceasedOn: ceased.typed },
            errors: problems.errors,
          },
          400,
        )
      }
      await ceaseCare(db, actorFrom(request, clock), {
        childId: child.id,
        ceasedOn: ceased.value,
        reason,
      })
      request.flash('success', 'Recorded. The record is now read-only.')
      return reply.redirect(paths.children.show(child.id), 303)
    },
  )
}
