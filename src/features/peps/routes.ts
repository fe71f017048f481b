import { RESTORED_FORM_NOTICE } from '../../shared/restored-form.ts'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { nextTerm, termLabel, termOf } from '../../domain/terms.ts'
import { canAct } from '../../domain/permissions.ts'
import { mayReadPart } from '../../domain/visibility.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { formatDate } from '../../views/format.ts'
import { meetingInviteeChoices } from './invitees.repository.ts'
import { childPageModel, refuseIfReadOnly } from '../../shared/child-header.ts'
import { pepPageRoutes } from './pep.routes.ts'
import { blankPepRoutes } from './blank.routes.ts'
import { describePepState } from '../../shared/listed-child.ts'
import { pepStates } from '../../shared/current-pep.ts'
import { pepTitle, pepTitles } from './pep.presenter.ts'
import { listPepsOfChild, pepsInTerm } from './peps.repository.ts'
import { childForPep, startPep, yearGroupInTerm } from './start.service.ts'
import {
  emptyStart,
  readStartForm,
  startRefusalText,
  startFormModel,
  type TermChoice,
  type TypedStart,
} from './start.form.ts'

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
      // A PEP's progress (its state, dates, rating, how late) is staff's to read (ADR 10).
      const progress = mayReadPart(request.actingRole, 'pep-progress')
      const states = progress
        ? await pepStates(
            db,
            peps.map((p) => p.id),
            londonDate(clock.now()),
          )
        : null
      return reply.render('peps/views/list.njk', {
        ...childPageModel(request, 'peps'),
        pageTitle: pepTitles.list(child),
        peps: peps.map((pep) => ({
          title: pepTitle(pep),
          href: paths.peps.contents(child.id, pep.id),
          startedOn: formatDate(pep.startedOn),
          meetingOn: pep.meetingOn ? formatDate(pep.meetingOn) : 'Not set',
          changeOfSchool: pep.changeOfSchool,
          state: states ? describePepState(states.get(pep.id)) : null,
        })),
        showProgress: progress,
        startHref: paths.peps.start(child.id),
        // Blank PEPs to print for a meeting, for staff who work on PEPs (issue 21).
        blankFormsHref:
          request.actingRole !== null && canAct([request.actingRole], 'pep.blank')
            ? paths.peps.blankForms()
            : undefined,
      })
    },
  )

  /**
   * The terms a PEP can be started for: this term and the next, each saying whether it has a
   * PEP already (then it is offered only for an extra review after a change of school).
   */
  const termChoices = async (childId: string): Promise<TermChoice[]> => {
    const current = termOf(londonDate(clock.now()))
    return Promise.all(
      [current, nextTerm(current)].map(async (term) => ({
        term,
        taken: (await pepsInTerm(db, childId, term)).some((p) => !p.changeOfSchool),
      })),
    )
  }

  async function renderStart(
    request: FastifyRequest,
    reply: FastifyReply,
    typed: TypedStart,
    errors?: FormErrors,
    restored = false,
  ) {
    const child = request.child!
    const [people, settings, terms] = await Promise.all([
      meetingInviteeChoices(db, child.id),
      loadAuthoritySettings(db, child.authorityId),
      termChoices(child.id),
    ])
    return reply.code(errors ? 400 : 200).render('peps/views/start.njk', {
      ...childPageModel(request, 'peps'),
      pageTitle: pepTitles.start(child),
      ...startFormModel(typed, { terms, people }),
      pepsHref: paths.peps.list(child.id),
      targetDaysAfterMeeting: settings.targetDaysAfterMeeting,
      values: typed,
      errors,
      formRestored: restored ? RESTORED_FORM_NOTICE : undefined,
    })
  }

  app.get<{ Params: { childId: string } }>(
    paths.peps.start(':childId'),
    { config: { access: { action: 'pep.start', child: true }, audit: 'pep.start.view' } },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      // A start sent after the session ended comes back once, filled in, never saved unseen.
      const kept = await reply.takeUnsavedForm()
      if (kept) {
        const { typed } = readStartForm(kept, {
          terms: await termChoices(request.child!.id),
          people: await meetingInviteeChoices(db, request.child!.id),
        })
        return renderStart(request, reply, typed, undefined, true)
      }
      return renderStart(request, reply, emptyStart())
    },
  )

  app.post<{ Params: { childId: string }; Body: Body }>(
    paths.peps.start(':childId'),
    {
      config: { access: { action: 'pep.start', child: true }, audit: RECORDED_IN_TRANSACTION },
    },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const people = await meetingInviteeChoices(db, request.child!.id)
      const { typed, problems, value } = readStartForm(request.body, {
        terms: await termChoices(request.child!.id),
        people,
      })
      const child = await childForPep(db, request.child!.id)
      if (value && !yearGroupInTerm(child, value.term))
        problems.add(
          'term',
          `A PEP is for children from nursery to Year 13: this child is not of that age in the ${termLabel(value.term)}`,
        )
      if (problems.any || !value) return renderStart(request, reply, typed, problems.errors)
      const { term } = value
      const result = await startPep(
        db,
        actorFrom(request, clock),
        {
          child,
          term,
          meetingOn: value.meetingOn,
          changeOfSchool: value.changeOfSchool,
          meetingTime: value.meetingTime,
          meetingLocation: value.meetingLocation,
          meetingReasons: value.meetingReasons,
          meetingOtherReason: value.meetingOtherReason,
          contactName: value.contactName,
          contactPhone: value.contactPhone,
          invitees: { userIds: value.inviteeUserIds, emails: value.inviteeEmails },
        },
        baseUrl,
      )
      if (!result.ok) {
        problems.add('term', startRefusalText(result.error.code, term))
        return renderStart(request, reply, typed, problems.errors)
      }
      request.flash('success', `PEP started for the ${termLabel(term)}`)
      return reply.redirect(paths.peps.contents(request.child!.id, result.value.pepId), 303)
    },
  )

  await app.register(pepPageRoutes, { db, clock, baseUrl })
  await app.register(blankPepRoutes, { clock })
}
