import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { addDays } from '../../domain/calendar-date.ts'
import { dueDateNeedsReason, offeredSchoolDueDate } from '../../domain/timescales.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { closureDaySet } from '../../shared/settings.ts'
import type { Clock } from '../../domain/clock.ts'
import { decide, TRANSITIONS, type Transition } from '../../domain/pep-workflow.ts'
import { parseTime } from '../../forms/answers.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { readDateInput } from '../../forms/date-input.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import { refuseIfReadOnly } from '../../shared/child-header.ts'
import { pepOf, pepPageModel, pepRoute } from './pep-context.ts'
import { pepTitle } from './pep.presenter.ts'
import { keptText, RESTORED_FORM_NOTICE } from '../../shared/restored-form.ts'
import { schoolStaff } from './workflow.repository.ts'
import { isRole, ROLE_NAMES } from '../../domain/roles.ts'
import { formatDate } from '../../views/format.ts'
import {
  delegablePages,
  gatherFacts,
  makeTransition,
  type TransitionInput,
} from './workflow.service.ts'
import type { PepInContext } from './pep-context.ts'
import { pagesOf, sectionsOf } from './peps.repository.ts'
import { COMMENTS_MAX, dueHint, FORMS, formFor } from './actions.form.ts'

type Params = { childId: string; pepId: string; transition: string }
type Body = Record<string, unknown>

const isTransition = (value: string): value is Transition => value in TRANSITIONS

/** Who at the school can be given its sections: not the one passing them on. */
async function staffForChild(db: Database, childId: string, transition: Transition, me: string) {
  const staff = await schoolStaff(db, childId)
  return transition === 'pass-on' ? staff.filter((person) => person.id !== me) : staff
}

/** What a step's form sent, as its page shows it again. */
function keptValues(kept: Body): Body {
  return {
    comments: keptText(kept, 'comments'),
    reopen: kept['reopen'],
    dueOn: readDateInput(kept, 'dueOn', 'the due date').typed,
    delegateTo: keptText(kept, 'delegateTo'),
    ...(kept['choosePages'] === 'yes' || kept['pages'] !== undefined
      ? { pages: [kept['pages']].flat().filter((v) => typeof v === 'string') }
      : {}),
    meetingOn: readDateInput(kept, 'meetingOn', 'the meeting date').typed,
    meetingTime: keptText(kept, 'meetingTime'),
  }
}

export const actionsRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  const staffFor = (request: FastifyRequest, transition: Transition) =>
    staffForChild(db, pepOf(request).childId, transition, request.user!.id)
  const pagesToOffer = async (pep: PepInContext) => {
    const [pages, sections] = await Promise.all([pagesOf(db, pep.id), sectionsOf(db, pep.id)])
    const complete = [...sections.values()].filter((s) => s.completedAt).map((s) => s.sectionId)
    return delegablePages(pep, pages, complete)
  }

  async function render(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    transition: Transition,
    spec: (typeof FORMS)[Transition],
    form: {
      values: Body
      errors?: FormErrors
      status?: number
      refusal?: string
      restored?: boolean
    },
  ) {
    const pep = pepOf(request)
    const staff = spec.delegateTo ? await staffFor(request, transition) : []
    const offered = spec.pages ? await pagesToOffer(pep) : []
    const chosenPages = [form.values['pages']].flat().filter((v) => typeof v === 'string')
    // Nobody to pass the sections to: say so rather than offer an empty choice.
    const refusal =
      form.refusal ??
      (transition === 'pass-on' && staff.length === 0
        ? 'There is no one else on the staff of your school in OpenPEP'
        : undefined)
    return reply
      .code(refusal && !form.refusal ? 409 : (form.status ?? 200))
      .render('peps/views/action.njk', {
        ...pepPageModel(request),
        pageTitle: `${TRANSITIONS[transition].describe} – ${pepTitle(pep)}`,
        heading: TRANSITIONS[transition].describe,
        spec,
        refusal,
        action: paths.peps.action(pep.childId, pep.id, transition),
        sections: pep.template.sections
          .filter((s) => s.id !== 'D')
          .map((s) => ({
            value: s.id,
            text: s.title,
            checked: [form.values['reopen']].flat().includes(s.id),
          })),
        actorName: request.user!.displayName,
        pages: offered.map((o) => ({
          value: o.pageId,
          text: o.pageTitle,
          hint: { text: o.sectionTitle },
          // Every page, until the person says otherwise.
          checked: form.values['pages'] === undefined || chosenPages.includes(o.pageId),
        })),
        staff: spec.delegateTo
          ? staff.map((person, index) => ({
              value: person.id,
              text: person.name,
              hint: {
                text: `${isRole(person.capacity) ? ROLE_NAMES[person.capacity] : ''}${person.onList ? ', on this child’s list' : ''}`,
              },
              checked: form.values['delegateTo']
                ? form.values['delegateTo'] === person.id
                : index === 0,
            }))
          : [],
        dueHint: dueHint(pep.targetOn, actorFrom(request, clock).today),
        commentsMax: COMMENTS_MAX,
        values: form.values,
        errors: form.errors,
        formRestored: form.restored ? RESTORED_FORM_NOTICE : undefined,
      })
  }

  app.get<{ Params: Params }>(
    paths.peps.action(':childId', ':pepId', ':transition'),
    // A step in the PEP's life is its progress (ADR 10): staff who may not take it are told why;
    // the carer and the young person, who read no progress, get 404.
    {
      config: {
        access: { ...pepRoute('pep.view'), reads: 'pep-progress' },
        audit: 'pep.action.view',
      },
    },
    async (request, reply) => {
      const transition = request.params.transition
      if (!isTransition(transition)) return reply.code(404).render('pages/404.njk')
      const pep = pepOf(request)
      const settings = await loadAuthoritySettings(db, pep.authorityId)
      const facts = await gatherFacts(db, pep, actorFrom(request, clock), { settings })
      const decision = decide(transition, request.actingRole, facts)
      // A step sent after the session ended comes back once, filled in, never taken unseen.
      const kept = await reply.takeUnsavedForm()
      if (kept)
        return render(request, reply, transition, formFor(transition, facts), {
          values: keptValues(kept),
          refusal: decision.allowed ? undefined : decision.reason,
          status: decision.allowed ? 200 : 409,
          restored: true,
        })
      const values: Record<string, unknown> = {}
      if (FORMS[transition].dueOn) {
        const dueFrom = pep.meetingOn ?? pep.startedOn
        const closures = await closureDaySet(db, pep.authorityId, {
          from: dueFrom,
          to: addDays(dueFrom, 120),
        })
        const today = actorFrom(request, clock).today
        const [year, month, day] = offeredSchoolDueDate(pep, today, settings, closures).split('-')
        values['dueOn'] = { day: String(Number(day)), month: String(Number(month)), year }
      }
      return render(request, reply, transition, formFor(transition, facts), {
        values,
        refusal: decision.allowed ? undefined : decision.reason,
        status: decision.allowed ? 200 : 409,
      })
    },
  )

  app.post<{ Params: Params; Body: Body | undefined }>(
    paths.peps.action(':childId', ':pepId', ':transition'),
    { config: { access: pepRoute('pep.workflow'), audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const transition = request.params.transition
      if (!isTransition(transition)) return reply.code(404).render('pages/404.njk')
      const body = request.body ?? {}
      const pep = pepOf(request)
      let spec = FORMS[transition]
      if (transition === 'sign-off') {
        // Whether a reason is asked depends on the rating; one who cannot sign off is told so.
        const facts = await gatherFacts(db, pep, actorFrom(request, clock))
        const decision = decide(transition, request.actingRole, facts)
        if (!decision.allowed)
          return render(request, reply, transition, spec, {
            values: {},
            refusal: decision.reason,
            status: 409,
          })
        spec = formFor(transition, facts)
      }
      const problems = new FormProblems()
      const input: TransitionInput = {}
      const comments = typeof body['comments'] === 'string' ? body['comments'] : ''
      if (spec.comments) {
        if (spec.comments === 'required' && comments.trim() === '')
          problems.add(
            'comments',
            spec.commentsLabel ? 'Enter why you are signing off this PEP' : 'Enter your comments',
          )
        else if ([...comments].length > COMMENTS_MAX)
          problems.add(
            'comments',
            `Comments must be ${COMMENTS_MAX.toLocaleString('en-GB')} characters or fewer`,
          )
        else if (comments.trim() !== '') input.comments = comments
      }
      if (spec.reopen) {
        const chosen = [body['reopen']].flat().filter((v): v is string => typeof v === 'string')
        const known: string[] = pepOf(request)
          .template.sections.map((s) => s.id)
          .filter((s) => s !== 'D')
        if (chosen.length === 0 || !chosen.every((s) => known.includes(s)))
          problems.add('reopen', 'Select the sections to reopen', `reopen`)
        else input.reopen = chosen
      }
      const values: Body = { comments, reopen: body['reopen'] }
      if (spec.dueOn) {
        const due = readDateInput(body, 'dueOn', 'the due date')
        values['dueOn'] = due.typed
        if (!due.ok) problems.add('dueOn', due.error, `dueOn-${due.part}`)
        else if (due.value < actorFrom(request, clock).today)
          problems.add('dueOn', 'The due date must be today or in the future', 'dueOn-day')
        else if (
          dueDateNeedsReason(due.value, pep.targetOn, actorFrom(request, clock).today) &&
          !input.comments
        )
          problems.add(
            'comments',
            `Enter why the school’s part is due after the PEP’s target date, ${formatDate(pep.targetOn!)}`,
          )
        else input.dueOn = due.value
      }
      if (spec.delegateTo) {
        const chosen = typeof body['delegateTo'] === 'string' ? body['delegateTo'] : ''
        values['delegateTo'] = chosen
        const staff = await staffFor(request, transition)
        // With one person there is nothing to choose; with several, the person says who.
        if (staff.length === 1) input.delegateTo = staff[0]!.id
        else if (chosen && staff.some((person) => person.id === chosen)) input.delegateTo = chosen
        else if (staff.length > 1)
          problems.add('delegateTo', 'Select who at the school completes the pages', 'delegateTo')
      }
      // The form says it asked which pages (a hidden field), so none ticked is a mistake to
      // show; a caller that did not ask gives every page, as before pages could be chosen.
      if (spec.pages && (body['choosePages'] === 'yes' || body['pages'] !== undefined)) {
        const chosen = [body['pages']].flat().filter((v): v is string => typeof v === 'string')
        values['pages'] = chosen
        const offered = (await pagesToOffer(pep)).map((o) => o.pageId)
        if (chosen.length === 0 || !chosen.every((id) => offered.includes(id)))
          problems.add('pages', 'Select the pages the school completes', 'pages')
        else input.pages = chosen
      }
      if (spec.meeting) {
        const on = readDateInput(body, 'meetingOn', 'the meeting date')
        values['meetingOn'] = on.typed
        if (!on.ok) problems.add('meetingOn', on.error, `meetingOn-${on.part}`)
        else input.meetingOn = on.value
        const time = typeof body['meetingTime'] === 'string' ? body['meetingTime'] : ''
        values['meetingTime'] = time
        const parsed = parseTime(time)
        if (!parsed)
          problems.add(
            'meetingTime',
            time.trim()
              ? 'The meeting time must be a time of day, like 14:30 or 2:30pm'
              : 'Enter the meeting time',
          )
        else input.meetingTime = parsed
      }
      if (problems.any)
        return render(request, reply, transition, spec, {
          values,
          errors: problems.errors,
          status: 400,
        })
      const result = await makeTransition(db, actorFrom(request, clock), {
        pep,
        transition,
        input,
        baseUrl,
        childName: `${request.child!.firstName} ${request.child!.lastName}`,
      })
      if (result.kind === 'refused') {
        await request.audit({
          action: 'pep.transition.refused',
          outcome: 'denied',
          details: { pepId: pep.id, transition, reason: result.reason },
        })
        return render(request, reply, transition, spec, {
          values,
          refusal: result.reason,
          status: 409,
        })
      }
      request.flash(
        'success',
        `${TRANSITIONS[transition].describe}: done${result.to === 'signed_off' && result.nextPepId ? '. Next term’s PEP has been started' : ''}`,
      )
      return reply.redirect(paths.peps.contents(pep.childId, pep.id), 303)
    },
  )
}
