import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import {
  nextTerm,
  parseTermKey,
  termKey,
  termLabel,
  termOf,
  type Term,
} from '../../domain/terms.ts'
import { paths } from '../../paths.ts'
import { readDateInput } from '../../plugins/date-input.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { FormProblems, type FormErrors } from '../../plugins/validation.ts'
import { formatDate } from '../../views/format.ts'
import { childPageModel, refuseIfReadOnly } from '../children/child-page.ts'
import { pepActor } from './pep-context.ts'
import { pepPageRoutes } from './pep.routes.ts'
import { pepTitle } from './pep.presenter.ts'
import { listPepsOfChild } from './peps.repository.ts'
import { childForPep, startPep, yearGroupInTerm } from './peps.service.ts'

type Body = Record<string, unknown> | undefined

export const pepsRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  app.get<{ Params: { childId: string } }>(
    paths.peps.list(':childId'),
    { config: { access: { action: 'pep.view', child: true }, audit: 'peps.list' } },
    async (request, reply) => {
      const child = request.child!
      const peps = await listPepsOfChild(db, child.id)
      return reply.render('peps/views/list.njk', {
        ...childPageModel(request, 'peps'),
        pageTitle: `PEPs – ${child.firstName} ${child.lastName}`,
        peps: peps.map((pep) => ({
          title: pepTitle(pep),
          href: paths.peps.contents(child.id, pep.id),
          startedOn: formatDate(pep.startedOn),
          meetingOn: pep.meetingOn ? formatDate(pep.meetingOn) : 'Not set',
          changeOfSchool: pep.changeOfSchool,
        })),
        startHref: paths.peps.start(child.id),
      })
    },
  )

  /** The terms a PEP can be started for: this term and the next. */
  const termChoices = (): Term[] => {
    const current = termOf(londonDate(clock.now()))
    return [current, nextTerm(current)]
  }

  async function renderStart(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    errors?: FormErrors,
  ) {
    const child = request.child!
    return reply.code(errors ? 400 : 200).render('peps/views/start.njk', {
      ...childPageModel(request, 'peps'),
      pageTitle: `Start a PEP – ${child.firstName} ${child.lastName}`,
      terms: termChoices().map((term) => ({
        value: termKey(term),
        text: termLabel(term),
        checked: values['term'] === termKey(term),
      })),
      values,
      errors,
    })
  }

  app.get<{ Params: { childId: string } }>(
    paths.peps.start(':childId'),
    { config: { access: { action: 'pep.start', child: true }, audit: 'pep.start.view' } },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      return renderStart(request, reply, {})
    },
  )

  app.post<{ Params: { childId: string }; Body: Body }>(
    paths.peps.start(':childId'),
    {
      config: { access: { action: 'pep.start', child: true }, audit: RECORDED_IN_TRANSACTION },
    },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const body = request.body ?? {}
      const problems = new FormProblems()
      const term = parseTermKey(body['term'])
      const offered = term && termChoices().some((t) => termKey(t) === termKey(term))
      if (!term || !offered) problems.add('term', 'Select the term the PEP is for')
      const meetingTyped = ['day', 'month', 'year'].some((p) =>
        String(body[`meetingOn-${p}`] ?? '').trim(),
      )
      const meeting = meetingTyped
        ? readDateInput(body, 'meetingOn', 'the meeting date')
        : undefined
      if (meeting && !meeting.ok)
        problems.add('meetingOn', meeting.error, `meetingOn-${meeting.part}`)
      else if (meeting?.ok && term && offered && termKey(termOf(meeting.value)) !== termKey(term))
        problems.add(
          'meetingOn',
          `The meeting date must be in the ${termLabel(term)}`,
          'meetingOn-day',
        )
      const changeOfSchool = body['changeOfSchool'] === 'yes'
      const values = {
        term: body['term'],
        changeOfSchool,
        meetingOn: meeting?.typed ?? { day: '', month: '', year: '' },
      }
      const child = await childForPep(db, request.child!.id)
      if (!problems.any && term && !yearGroupInTerm(child, term))
        problems.add(
          'term',
          `A PEP is for children from nursery to Year 13: this child is not of that age in the ${termLabel(term)}`,
        )
      if (problems.any || !term) return renderStart(request, reply, values, problems.errors)
      const result = await startPep(db, pepActor(request, clock), {
        child,
        term,
        meetingOn: meeting?.ok ? meeting.value : null,
        changeOfSchool,
      })
      if (result.kind === 'term-taken') {
        problems.add(
          'term',
          `There is already a PEP for the ${termLabel(term)}. Open it from the list of PEPs, or say this is an extra review after a change of school`,
        )
        return renderStart(request, reply, values, problems.errors)
      }
      if (result.kind === 'no-year-group') {
        problems.add('term', `This child is not of PEP age in the ${termLabel(term)}`)
        return renderStart(request, reply, values, problems.errors)
      }
      request.flash('success', `PEP started for the ${termLabel(term)}`)
      return reply.redirect(paths.peps.contents(request.child!.id, result.pepId), 303)
    },
  )

  await app.register(pepPageRoutes, { db, clock, baseUrl })
}
