import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { readPage } from '../../forms/answers.ts'
import { answerAsText } from '../../forms/display.ts'
import type { Page } from '../../forms/types.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { RESTORED_FORM_NOTICE } from '../../shared/restored-form.ts'
import { formatDateTime } from '../../views/format.ts'
import { resolvePeps } from '../peps/pep-context.ts'
import {
  ACTIVITY_PICTURES,
  symbolHref,
  activityName,
  faceChoices,
  PICTURES_STEP,
  stepAnswered,
  TOPIC_PICTURES,
  type VoicePlan,
  VOICE_TITLES,
} from './voice.presenter.ts'
import { saveViews, sendViews, type VoiceRefusal } from './voice.service.ts'
import {
  decorateVoice,
  loadVoice,
  loadVoiceStep,
  voiceOf,
  type VoiceInContext,
} from './voice-context.ts'
import { termWords } from './young-person.presenter.ts'

type Params = { childId: string; pepId: string }
type StepParams = Params & { stepId: string }
type Body = Record<string, unknown> | undefined

const OWN = { action: 'young-person.own', child: true } as const

/** What the young person reads when their views can no longer change. */
const REFUSED: Record<VoiceRefusal, string> = {
  'voice.sent': 'You have sent your views already, so they cannot be changed here.',
  'voice.closed':
    'Your views for this PEP are finished, so they cannot be changed now. You can tell your designated teacher if you want to add something.',
  'voice.changed': 'Someone else was saving at the same time. Please try again.',
}

/** "Tell us what you think" (issue 20): one question a page, saved as they go, then sent. */
export const voiceRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  baseUrl: string
}> = async (app, { db, clock, baseUrl }) => {
  resolvePeps(app, db)
  decorateVoice(app)
  const preHandler = loadVoice(db)
  const stepPreHandler = [preHandler, loadVoiceStep]
  type Loaded = VoiceInContext

  /** Each step, with what was said, as the check page and the read-only page list them. */
  function answersList(loaded: Loaded) {
    const { pep, plan, pages } = loaded
    const rows: { label: string; text: string; href: string }[] = []
    if (plan.pictures) {
      const answers = pages.get(plan.pictures.page.id)?.answers ?? {}
      for (const q of plan.pictures.questions)
        rows.push({
          label: activityName(q.label),
          text: answerAsText(q, answers[q.id]) || 'Not answered',
          href: `${paths.youngPerson.viewsStep(pep.childId, pep.id, PICTURES_STEP)}#${q.id}`,
        })
    }
    for (const step of plan.steps)
      rows.push({
        label: step.label,
        text:
          answerAsText(step.question, pages.get(step.pageId)?.answers[step.question.id]) ||
          'Not answered',
        href: paths.youngPerson.viewsStep(pep.childId, pep.id, step.id),
      })
    return rows
  }

  const next = (plan: VoicePlan, stepId: string) => plan.order[plan.order.indexOf(stepId) + 1]
  const previous = (plan: VoicePlan, stepId: string) => plan.order[plan.order.indexOf(stepId) - 1]

  app.get<{ Params: Params }>(
    paths.youngPerson.views(':childId', ':pepId'),
    { config: { access: OWN, audit: 'young-person.views.view' }, preHandler },
    async (request, reply) => {
      const loaded = voiceOf(request)
      const { pep, plan, pages, sent, open } = loaded
      const firstToDo = plan.order.find((id) => !stepAnswered(plan, id, pages)) ?? plan.order[0]!
      return reply.render('young-person/views/voice-start.njk', {
        pageTitle: VOICE_TITLES.start,
        term: termWords(pep),
        homeHref: paths.youngPerson.home(pep.childId),
        open,
        sent: sent ? formatDateTime(sent.sentAt) : undefined,
        onBehalfBy: sent?.onBehalf ? (sent.sentByName ?? 'An adult') : undefined,
        count: plan.order.length,
        younger: plan.rows < 5,
        startHref: paths.youngPerson.viewsStep(pep.childId, pep.id, firstToDo),
        checkHref: paths.youngPerson.viewsCheck(pep.childId, pep.id),
        answers: open ? undefined : answersList(loaded),
      })
    },
  )

  function renderStep(
    request: FastifyRequest<{ Params: StepParams }>,
    reply: FastifyReply,
    loaded: Loaded,
    /** What was typed: refused (with errors, a 400), or kept after the session ended. */
    typed?: { values: Record<string, unknown>; errors?: FormErrors; restored?: boolean },
  ) {
    const { pep, plan, pages } = loaded
    const stepId = request.params.stepId
    const number = plan.order.indexOf(stepId) + 1
    const back = previous(plan, stepId)
    const status = typed?.errors ? 400 : 200
    const common = {
      caption: `Question ${number} of ${plan.order.length}`,
      action: paths.youngPerson.viewsStep(pep.childId, pep.id, stepId),
      backHref: back
        ? paths.youngPerson.viewsStep(pep.childId, pep.id, back)
        : paths.youngPerson.views(pep.childId, pep.id),
      errors: typed?.errors,
      formRestored: typed?.restored ? RESTORED_FORM_NOTICE : undefined,
    }
    if (stepId === PICTURES_STEP && plan.pictures) {
      const answers = typed?.values ?? pages.get(plan.pictures.page.id)?.answers ?? {}
      return reply.code(status).render('young-person/views/voice-pictures.njk', {
        ...common,
        pageTitle: VOICE_TITLES.pictures,
        activities: plan.pictures.questions.map((q) => ({
          id: q.id,
          name: activityName(q.label),
          symbol: symbolHref(ACTIVITY_PICTURES[q.id.replace(/^view-/, '')] ?? '🙂'),
          faces: q.type === 'singleChoice' ? faceChoices(q.options, answers[q.id]) : [],
        })),
      })
    }
    const step = plan.steps.find((s) => s.id === stepId)!
    const saved = pages.get(step.pageId)?.answers[step.question.id]
    const value = typed ? typed.values['answer'] : saved
    return reply.code(status).render('young-person/views/voice-question.njk', {
      ...common,
      pageTitle: step.label,
      label: step.label,
      hint: step.hint,
      symbol: symbolHref(TOPIC_PICTURES[step.topic] ?? '💬'),
      rows: plan.rows,
      value: typeof value === 'string' ? value : '',
    })
  }

  app.get<{ Params: StepParams }>(
    paths.youngPerson.viewsStep(':childId', ':pepId', ':stepId'),
    { config: { access: OWN, audit: 'young-person.views.view' }, preHandler: stepPreHandler },
    async (request, reply) => {
      const loaded = voiceOf(request)
      if (!loaded.open)
        return reply.redirect(paths.youngPerson.views(loaded.pep.childId, loaded.pep.id), 303)
      // What they typed when their session had ended comes back once, filled in, never saved
      // unseen (issue 15): they check it and press "Save and next".
      const kept = await reply.takeUnsavedForm()
      if (kept) return renderStep(request, reply, loaded, { values: kept, restored: true })
      return renderStep(request, reply, loaded)
    },
  )

  app.post<{ Params: StepParams; Body: Body }>(
    paths.youngPerson.viewsStep(':childId', ':pepId', ':stepId'),
    { config: { access: OWN, audit: RECORDED_IN_TRANSACTION }, preHandler: stepPreHandler },
    async (request, reply) => {
      const loaded = voiceOf(request)
      const { pep, plan } = loaded
      const stepId = request.params.stepId
      const body = request.body ?? {}
      let page: Page
      let pageId: string
      let values: Record<string, unknown>
      if (stepId === PICTURES_STEP && plan.pictures) {
        pageId = plan.pictures.page.id
        page = { id: pageId, title: plan.pictures.page.title, questions: plan.pictures.questions }
        values = body
      } else {
        const step = plan.steps.find((s) => s.id === stepId)!
        pageId = step.pageId
        page = {
          id: pageId,
          title: step.label,
          questions: [{ ...step.question, label: step.label }],
        }
        values = { [step.question.id]: body['answer'] }
      }
      const read = readPage(page, values, randomUUID)
      if (!read.ok) {
        // The one question's message points at the box, which is called "answer" here.
        const errors: FormErrors =
          stepId === PICTURES_STEP
            ? read.errors
            : {
                list: read.errors.list.map((e) => ({ ...e, href: '#answer' })),
                fields: { answer: Object.values(read.errors.fields)[0]! },
              }
        return renderStep(request, reply, loaded, {
          values: stepId === PICTURES_STEP ? body : { answer: body['answer'] },
          errors,
        })
      }
      const saved = await saveViews(db, actorFrom(request, clock), {
        pepId: pep.id,
        childId: pep.childId,
        status: pep.status,
        pageId,
        questionIds: page.questions.map((q) => q.id),
        answers: read.answers,
      })
      if (!saved.ok) {
        request.flash('info', REFUSED[saved.error.code])
        return reply.redirect(paths.youngPerson.views(pep.childId, pep.id), 303)
      }
      const after = next(plan, stepId)
      return reply.redirect(
        after
          ? paths.youngPerson.viewsStep(pep.childId, pep.id, after)
          : paths.youngPerson.viewsCheck(pep.childId, pep.id),
        303,
      )
    },
  )

  app.get<{ Params: Params }>(
    paths.youngPerson.viewsCheck(':childId', ':pepId'),
    { config: { access: OWN, audit: 'young-person.views.view' }, preHandler },
    async (request, reply) => {
      const loaded = voiceOf(request)
      if (!loaded.open)
        return reply.redirect(paths.youngPerson.views(loaded.pep.childId, loaded.pep.id), 303)
      return reply.render('young-person/views/voice-check.njk', {
        pageTitle: VOICE_TITLES.check,
        answers: answersList(loaded),
        action: paths.youngPerson.viewsCheck(loaded.pep.childId, loaded.pep.id),
        backHref: paths.youngPerson.viewsStep(
          loaded.pep.childId,
          loaded.pep.id,
          loaded.plan.order.at(-1)!,
        ),
      })
    },
  )

  app.post<{ Params: Params }>(
    paths.youngPerson.viewsCheck(':childId', ':pepId'),
    { config: { access: OWN, audit: RECORDED_IN_TRANSACTION }, preHandler },
    async (request, reply) => {
      const { pep } = voiceOf(request)
      const sent = await sendViews(db, actorFrom(request, clock), {
        pepId: pep.id,
        childId: pep.childId,
        authorityId: pep.authorityId,
        status: pep.status,
        onBehalf: false,
        howGathered: '',
        baseUrl,
      })
      if (!sent.ok) {
        request.flash('info', REFUSED[sent.error.code])
        return reply.redirect(paths.youngPerson.views(pep.childId, pep.id), 303)
      }
      request.flash('success', 'Thank you! Your views have been sent')
      return reply.redirect(paths.youngPerson.home(pep.childId), 303)
    },
  )
}
