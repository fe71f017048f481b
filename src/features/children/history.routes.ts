import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { daysBetween, londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { readDateInput } from '../../forms/date-input.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { FormProblems } from '../../forms/validation.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import { childPageModel, refuseIfReadOnly } from '../../shared/child-header.ts'
import { roleName } from './child-record.presenter.ts'
import { findChildRecord } from './children.repository.ts'
import { ceaseCare, changeOwner, changePlacement, changeSchool } from './events.service.ts'
import {
  currentSchoolPlacement,
  findOpenSchoolByUrn,
  listEvents,
  listPossibleOwners,
  listSchoolHistory,
} from './history.repository.ts'

type Body = Record<string, string | undefined>
const TEXT_MAX = 500

const text = (body: Body | undefined, name: string) =>
  typeof body?.[name] === 'string' ? body[name]!.trim() : ''

export const historyRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  const today = () => londonDate(clock.now())

  /** A date that has happened, on or after `earliest` (with the words for it). */
  function readPastDate(
    body: Body | undefined,
    prefix: string,
    label: string,
    problems: FormProblems,
    earliest?: { date: string; words: string },
  ) {
    const date = readDateInput(body, prefix, label)
    if (!date.ok) {
      problems.add(prefix, date.error, `${prefix}-${date.part}`)
      return { value: undefined, typed: date.typed }
    }
    const capital = label.charAt(0).toUpperCase() + label.slice(1)
    if (daysBetween(today(), date.value) > 0)
      problems.add(prefix, `${capital} must be today or in the past`, `${prefix}-day`)
    else if (earliest && daysBetween(earliest.date, date.value) < 0) {
      problems.add(prefix, `${capital} must be on or after ${earliest.words}`, `${prefix}-day`)
    }
    return { value: date.value, typed: date.typed }
  }

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

  app.get<{ Params: { childId: string } }>(
    paths.children.history(':childId'),
    {
      config: {
        access: { action: 'child.view', child: true, reads: 'events' },
        audit: 'child.history.view',
      },
    },
    async (request, reply) => {
      const child = request.child!
      const [schools, events] = await Promise.all([
        listSchoolHistory(db, child.id),
        listEvents(db, child.id),
      ])
      return reply.render('children/views/history.njk', {
        ...childPageModel(request, 'history'),
        pageTitle: `School history and events – ${child.firstName} ${child.lastName}`,
        schools: schools.map((s) => [
          { text: `${s.name}${s.urn ? ` (URN ${s.urn})` : ''}` },
          { text: formatDate(s.startedOn) },
          { text: s.endedOn ? formatDate(s.endedOn) : 'Current' },
          { text: s.reason ?? '' },
        ]),
        events: events.map((e) => ({
          label: { text: e.summary },
          datetime: { timestamp: e.recordedAt.toISOString(), type: 'datetime' },
          byline: { text: e.recordedByName ?? 'The service' },
          text: `Recorded ${formatDateTime(e.recordedAt)}`,
        })),
        actions: [
          { text: 'Record a change of school', href: paths.children.changeSchool(child.id) },
          { text: 'Record a change of placement', href: paths.children.changePlacement(child.id) },
          { text: 'Change the record owner', href: paths.children.changeOwner(child.id) },
          {
            text: 'Record that the child has ceased to be in care',
            href: paths.children.ceaseCare(child.id),
          },
        ],
      })
    },
  )

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
      await changeSchool(
        db,
        { request, at: clock.now() },
        { childId: child.id, school, movedOn: moved.value, reason },
      )
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
      await changePlacement(
        db,
        { request, at: clock.now() },
        { childId: child.id, placement, changedOn: changed.value },
      )
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
      await changeOwner(
        db,
        { request, at: clock.now() },
        { childId: child.id, owner, today: today() },
      )
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
      await ceaseCare(
        db,
        { request, at: clock.now() },
        { childId: child.id, ceasedOn: ceased.value, reason },
      )
      request.flash('success', 'Recorded. The record is now read-only.')
      return reply.redirect(paths.children.show(child.id), 303)
    },
  )
}
