import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { addDays } from '../../domain/calendar-date.ts'
import { offeredSchoolDueDate } from '../../domain/timescales.ts'
import { closureDaySet, loadAuthoritySettings } from '../../shared/settings.ts'
import type { Clock } from '../../domain/clock.ts'
import { decide, TRANSITIONS, type Transition } from '../../domain/pep-workflow.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { refuseIfReadOnly } from '../../shared/child-header.ts'
import { pepOf, pepPageModel, pepRoute, type PepInContext } from './pep-context.ts'
import { liveDelegation, schoolStaff } from './workflow.repository.ts'
import { delegablePages, gatherFacts, makeTransition, passablePages } from './workflow.service.ts'
import { pagesOf, sectionsOf } from './peps.repository.ts'
import {
  asksPages,
  FORMS,
  formFor,
  keptStepValues,
  readStepForm,
  type StepSpec,
} from './actions.form.ts'
import {
  decidedStepForm,
  refusedStepForm,
  stepPageModel,
  type StepForm,
} from './actions.presenter.ts'

/* The page of each step of a PEP's life (delegate, submit, return, sign off, ...). */

type Params = { childId: string; pepId: string; transition: string }
type Body = Record<string, unknown>

const isTransition = (value: string): value is Transition => value in TRANSITIONS

/** Who at the school can be given its sections: not the one passing them on. */
async function staffForChild(db: Database, childId: string, transition: Transition, me: string) {
  const staff = await schoolStaff(db, childId)
  return transition === 'pass-on' ? staff.filter((person) => person.id !== me) : staff
}

export const actionsRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  const staffFor = (request: FastifyRequest, transition: Transition) =>
    staffForChild(db, pepOf(request).childId, transition, request.user!.id)
  /**
   * The pages a step offers: delegating, the school's open pages; passing on, the holder's pages
   * not with a colleague (`all` adds those, which the step refuses by name), and the parts.
   */
  const pagesToOffer = async (pep: PepInContext, transition: Transition, all = false) => {
    const [pages, sections, live] = await Promise.all([
      pagesOf(db, pep.id),
      sectionsOf(db, pep.id),
      transition === 'pass-on' ? liveDelegation(db, pep.id) : undefined,
    ])
    const complete = [...sections.values()].filter((s) => s.completedAt).map((s) => s.sectionId)
    if (transition !== 'pass-on')
      return { offered: delegablePages(pep, pages, complete), parts: [] }
    if (!live) return { offered: [], parts: [] }
    const passable = passablePages(pep, pages, complete, live)
    const titleOf = (id: string) => passable.find((o) => o.pageId === id)?.pageTitle ?? id
    return {
      offered: all ? passable : passable.filter((o) => !o.withPart),
      parts: live.parts.map((part) => ({ ...part, pageTitles: part.pages.map(titleOf) })),
    }
  }

  async function render(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    transition: Transition,
    spec: StepSpec,
    form: StepForm,
  ) {
    const pep = pepOf(request)
    const { offered, parts } = spec.pages
      ? await pagesToOffer(pep, transition)
      : { offered: [], parts: [] }
    const page = stepPageModel(pep, transition, spec, form, {
      staff: spec.delegateTo ? await staffFor(request, transition) : [],
      offered,
      parts,
      actorName: request.user!.displayName,
      today: actorFrom(request, clock).today,
    })
    return reply
      .code(page.status)
      .render('peps/views/action.njk', { ...pepPageModel(request), ...page.model })
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
      if (!isTransition(transition)) return reply.notFound()
      const pep = pepOf(request)
      const settings = await loadAuthoritySettings(db, pep.authorityId)
      const facts = await gatherFacts(db, pep, actorFrom(request, clock), { settings })
      const decision = decide(transition, request.actingRole, facts)
      // A step sent after the session ended comes back once, filled in, never taken unseen.
      const kept = await reply.takeUnsavedForm()
      if (kept)
        return render(request, reply, transition, formFor(transition, facts), {
          ...decidedStepForm(decision, keptStepValues(kept)),
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
      return render(
        request,
        reply,
        transition,
        formFor(transition, facts),
        decidedStepForm(decision, values),
      )
    },
  )

  app.post<{ Params: Params; Body: Body | undefined }>(
    paths.peps.action(':childId', ':pepId', ':transition'),
    { config: { access: pepRoute('pep.workflow'), audit: RECORDED_IN_TRANSACTION } },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const transition = request.params.transition
      if (!isTransition(transition)) return reply.notFound()
      const body = request.body ?? {}
      const pep = pepOf(request)
      const actor = actorFrom(request, clock)
      let spec: StepSpec = FORMS[transition]
      if (transition === 'sign-off') {
        // Whether a reason is asked depends on the rating; one who cannot sign off is told so.
        const facts = await gatherFacts(db, pep, actor)
        const decision = decide(transition, request.actingRole, facts)
        if (!decision.allowed)
          return render(request, reply, transition, spec, decidedStepForm(decision, {}))
        spec = formFor(transition, facts)
      }
      const { input, values, problems } = readStepForm(body, spec, {
        sectionIds: pep.template.sections.map((s) => s.id).filter((s) => s !== 'D'),
        today: actor.today,
        targetOn: pep.targetOn,
        staff: spec.delegateTo ? await staffFor(request, transition) : [],
        offeredPages:
          spec.pages && asksPages(body)
            ? (await pagesToOffer(pep, transition, true)).offered.map((o) => o.pageId)
            : [],
        ...(transition === 'pass-on' && {
          pagesError: 'Select the pages your colleague completes',
        }),
      })
      if (problems.any)
        return render(request, reply, transition, spec, {
          values,
          errors: problems.errors,
          status: 400,
        })
      const result = await makeTransition(db, actor, {
        pep,
        transition,
        input,
        baseUrl,
        childName: `${request.child!.firstName} ${request.child!.lastName}`,
      })
      if (result.kind === 'refused')
        return render(request, reply, transition, spec, refusedStepForm(result, values))
      request.flash(
        'success',
        `${TRANSITIONS[transition].describe}: done${result.to === 'signed_off' && result.nextPepId ? '. Next term’s PEP has been started' : ''}`,
      )
      return reply.redirect(paths.peps.contents(pep.childId, pep.id), 303)
    },
  )
}
