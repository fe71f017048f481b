import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { financialYearLabel, financialYearOf } from '../../domain/funding.ts'
import { isUuid } from '../../domain/ids.ts'
import { parsePounds, toDecimalPounds } from '../../domain/money.ts'
import { canAct } from '../../domain/permissions.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { formError, type FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import { childPageModel } from '../../shared/child-header.ts'
import { pepTitle } from '../peps/pep.presenter.ts'
import { findPepOfChild, type PepRow } from '../peps/peps.service.ts'
import {
  amountMessage,
  decisionProblem,
  decisionValues,
  readRequestForm,
  type DecisionValues,
  type RequestValues,
} from './funding.form.ts'
import { money, OUTCOME_NAMES, requestRow } from './funding.presenter.ts'
import {
  childYears,
  decisionsOf,
  findBudget,
  findRequest,
  findRequestForTarget,
  loadFundingSettings,
  requestsOfChild,
  requestsOfPep,
  revisionsOf,
  targetsOfPep,
  type RequestRow,
} from './funding.repository.ts'
import { decideRequest, saveRequest } from './funding.service.ts'
import { correct } from './payments.service.ts'

/*
 * A child's Pupil Premium Plus (issue 18): the Pupil Premium tab (money per financial year and
 * every request), a PEP's targets with their requests, the request form, and a request's page
 * with its history and, for the Virtual School, the decision. Every page is a child route (the
 * access plugin checks the user may see the child in a role allowed the action; ADR 3/8/10).
 */

type P = { childId: string }
type PP = P & { pepId: string }
type Body = Record<string, unknown> | undefined

const VIEW = { action: 'funding.view', child: true, reads: 'funding' } as const

export const requestsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  const roles = (request: FastifyRequest) => (request.actingRole ? [request.actingRole] : [])

  app.get<{ Params: P }>(
    paths.funding.child(':childId'),
    { config: { access: VIEW, audit: 'funding.child.view' } },
    async (request, reply) => {
      const child = request.child!
      const [years, requests] = await Promise.all([
        childYears(db, child.id),
        requestsOfChild(db, child.id),
      ])
      const thisYear = financialYearOf(londonDate(clock.now()))
      if (!years.some((y) => y.financialYear === thisYear))
        years.unshift({ financialYear: thisYear, approvedPence: 0, paidPence: 0 })
      const summaries = await Promise.all(
        years.map(async (y) => {
          const budget = await findBudget(db, child.authorityId, y.financialYear)
          const allocation = budget?.allocationPerChildPence
          return {
            year: financialYearLabel(y.financialYear),
            allocation: allocation === undefined ? 'Not set' : money(allocation),
            approved: money(y.approvedPence),
            paid: money(y.paidPence),
            remaining: allocation === undefined ? '–' : money(allocation - y.approvedPence),
            over: allocation !== undefined && y.approvedPence > allocation,
          }
        }),
      )
      return reply.render('funding/views/child.njk', {
        ...childPageModel(request, 'funding'),
        pageTitle: `Pupil Premium Plus – ${child.firstName} ${child.lastName}`,
        summaries,
        requests: requests.map(requestRow),
      })
    },
  )

  async function loadPep(request: FastifyRequest<{ Params: PP }>, reply: FastifyReply) {
    const { pepId } = request.params
    const pep = isUuid(pepId) ? await findPepOfChild(db, request.child!.id, pepId) : undefined
    if (!pep) void reply.code(404).render('pages/404.njk')
    return pep
  }

  app.get<{ Params: PP }>(
    paths.funding.pep(':childId', ':pepId'),
    { config: { access: VIEW, audit: 'funding.pep.view' } },
    async (request, reply) => {
      const pep = await loadPep(request, reply)
      if (!pep) return reply
      const child = request.child!
      const [targets, requests] = await Promise.all([
        targetsOfPep(db, pep.id),
        requestsOfPep(db, pep.id),
      ])
      const funded = pep.formType !== 'post-16'
      const mayRequest =
        funded && pep.status !== 'signed_off' && canAct(roles(request), 'funding.request')
      return reply.render('funding/views/pep.njk', {
        ...childPageModel(request, 'peps'),
        pageTitle: `Pupil Premium Plus – ${pepTitle(pep)}`,
        pepTitle: pepTitle(pep),
        pepHref: paths.peps.contents(child.id, pep.id),
        funded,
        targets: targets.map((t) => {
          const r = requests.find((x) => x.targetId === t.id)
          return {
            text: t.target || 'A target with no words yet',
            typedAmount: t.amount ? money(parsePoundsOrZero(t.amount)) : null,
            request: r ? requestRow(r) : null,
            formHref:
              mayRequest && (!r || !r.decisionId)
                ? paths.funding.target(child.id, pep.id, t.id)
                : null,
          }
        }),
        orphans: requests.filter((r) => !targets.some((t) => t.id === r.targetId)).map(requestRow),
        smartTargetsHref: paths.peps.page(child.id, pep.id, 'smart-targets'),
      })
    },
  )

  async function renderTarget(
    request: FastifyRequest<{ Params: PP & { targetId: string } }>,
    reply: FastifyReply,
    pep: PepRow,
    form?: { values: RequestValues; errors: FormErrors },
  ) {
    const child = request.child!
    const targets = await targetsOfPep(db, pep.id)
    const target = targets.find((t) => t.id === request.params.targetId)
    if (!target || pep.formType === 'post-16' || pep.status === 'signed_off')
      return { reply: reply.code(404).render('pages/404.njk') }
    const existing = await findRequestForTarget(db, pep.id, target.id)
    if (existing?.decisionId)
      return { reply: reply.redirect(paths.funding.request(child.id, existing.id), 303) }
    const settings = await loadFundingSettings(db, child.authorityId)
    const values: RequestValues = form?.values ?? {
      amount: existing ? toDecimalPounds(existing.amountPence) : (target.amount ?? ''),
      purpose: existing?.purpose ?? target.purpose ?? '',
      category: existing?.category ?? '',
      expectedImpact: existing?.expectedImpact ?? '',
      version: existing ? String(existing.version) : '',
    }
    return {
      target,
      existing,
      settings,
      reply: reply.code(form ? 400 : 200).render('funding/views/request-form.njk', {
        ...childPageModel(request, 'peps'),
        pageTitle: `${existing ? 'Change the request' : 'Request funding'} – ${pepTitle(pep)}`,
        heading: existing ? 'Change the funding request' : 'Request Pupil Premium Plus funding',
        pepTitle: pepTitle(pep),
        backHref: paths.funding.pep(child.id, pep.id),
        target,
        categories: settings.categories,
        values,
        errors: form?.errors,
      }),
    }
  }

  app.get<{ Params: PP & { targetId: string } }>(
    paths.funding.target(':childId', ':pepId', ':targetId'),
    {
      config: {
        access: { action: 'funding.request', child: true, reads: 'funding' },
        audit: 'funding.pep.view',
      },
    },
    async (request, reply) => {
      const pep = await loadPep(request, reply)
      if (!pep) return reply
      return (await renderTarget(request, reply, pep)).reply
    },
  )

  app.post<{ Params: PP & { targetId: string }; Body: Body }>(
    paths.funding.target(':childId', ':pepId', ':targetId'),
    {
      config: {
        access: { action: 'funding.request', child: true, reads: 'funding' },
        audit: RECORDED_IN_TRANSACTION,
      },
    },
    async (request, reply) => {
      const pep = await loadPep(request, reply)
      if (!pep) return reply
      const child = request.child!
      const targets = await targetsOfPep(db, pep.id)
      const target = targets.find((t) => t.id === request.params.targetId)
      if (!target || pep.formType === 'post-16' || pep.status === 'signed_off')
        return reply.code(404).render('pages/404.njk')
      const settings = await loadFundingSettings(db, child.authorityId)
      const form = readRequestForm(request.body, settings.categories)
      if (!form.ok)
        return (
          await renderTarget(request, reply, pep, { values: form.values, errors: form.errors })
        ).reply
      const existing = await findRequestForTarget(db, pep.id, target.id)
      const saved = await saveRequest(
        db,
        actorFrom(request, clock),
        {
          childId: child.id,
          authorityId: child.authorityId,
          pepId: pep.id,
          schoolId: pep.schoolId,
          target,
          existing,
          seenVersion: form.value.seenVersion,
        },
        form.value,
      )
      if (!saved.ok) {
        const values = readRequestForm(request.body, settings.categories)
        return (
          await renderTarget(request, reply, pep, {
            values: values.ok
              ? {
                  ...(request.body as unknown as RequestValues),
                  version: String(existing?.version ?? ''),
                }
              : values.values,
            errors: formError(
              'amount',
              saved.error.code === 'funding.already-decided'
                ? 'The Virtual School has decided on this request: it can no longer be changed'
                : 'Someone else saved this request while you had it open: check it and save again',
            ),
          })
        ).reply
      }
      request.flash('success', existing ? 'Funding request changed' : 'Funding requested')
      return reply.redirect(paths.funding.pep(child.id, pep.id), 303)
    },
  )

  async function renderRequest(
    request: FastifyRequest<{ Params: P & { requestId: string } }>,
    reply: FastifyReply,
    found: RequestRow,
    form?: { values: DecisionValues; errors: FormErrors },
    correction?: { values: { amount: string; reason: string }; errors: FormErrors },
  ) {
    const child = request.child!
    const [revisions, decisions, settings] = await Promise.all([
      revisionsOf(db, found.id),
      decisionsOf(db, found.id),
      loadFundingSettings(db, child.authorityId),
    ])
    const mayDecide =
      canAct(roles(request), 'funding.decide') &&
      (found.pepStatus !== 'in_progress' || settings.decideBeforeSubmission)
    return reply.code(form || correction ? 400 : 200).render('funding/views/request.njk', {
      ...childPageModel(request, 'funding'),
      pageTitle: `Funding request – ${child.firstName} ${child.lastName}`,
      request: requestRow(found),
      expectedImpact: found.expectedImpact,
      backHref: paths.funding.child(child.id),
      pepHref: paths.funding.pep(child.id, found.pepId),
      revisions: revisions.map((v) => ({
        ...v,
        amount: money(v.amountPence),
        when: formatDateTime(v.at),
      })),
      decisions: decisions.map((d) => ({
        ...d,
        outcomeName: OUTCOME_NAMES[d.outcome],
        amount: money(d.amountPence),
        year: financialYearLabel(d.financialYear),
        decidedOn: formatDate(d.decidedOn),
        when: formatDateTime(d.at),
      })),
      decide: mayDecide
        ? {
            action: paths.funding.decide(child.id, found.id),
            requested: money(found.amountPence),
            isHead: request.actingRole === 'vs_head',
            version: found.version,
            values: form?.values ?? {
              outcome: '',
              amount: '',
              reason: '',
              overAllocationReason: '',
            },
          }
        : null,
      waitingForSubmission:
        canAct(roles(request), 'funding.decide') && !mayDecide && !found.decisionId,
      correction:
        canAct(roles(request), 'funding.pay') && found.paidPence > 0
          ? {
              action: paths.funding.correction(child.id, found.id),
              paid: money(found.paidPence),
              values: correction?.values ?? { amount: '', reason: '' },
            }
          : null,
      errors: form?.errors ?? correction?.errors,
    })
  }

  app.get<{ Params: P & { requestId: string } }>(
    paths.funding.request(':childId', ':requestId'),
    { config: { access: VIEW, audit: 'funding.request.view' } },
    async (request, reply) => {
      const found = isUuid(request.params.requestId)
        ? await findRequest(db, request.child!.id, request.params.requestId)
        : undefined
      if (!found) return reply.code(404).render('pages/404.njk')
      return renderRequest(request, reply, found)
    },
  )

  app.post<{ Params: P & { requestId: string }; Body: Body }>(
    paths.funding.decide(':childId', ':requestId'),
    {
      config: {
        access: { action: 'funding.decide', child: true, reads: 'funding' },
        audit: RECORDED_IN_TRANSACTION,
      },
    },
    async (request, reply) => {
      const child = request.child!
      const found = isUuid(request.params.requestId)
        ? await findRequest(db, child.id, request.params.requestId)
        : undefined
      if (!found) return reply.code(404).render('pages/404.njk')
      const values = decisionValues(request.body)
      const settings = await loadFundingSettings(db, child.authorityId)
      const result = await decideRequest(
        db,
        actorFrom(request, clock),
        found,
        {
          seenVersion: /^\d{1,9}$/.test(values.version) ? Number(values.version) : -1,
          outcome: values.outcome,
          typedAmount: values.amount,
          reason: values.reason,
          overAllocationReason: values.overAllocationReason,
        },
        settings.decideBeforeSubmission,
      )
      if (!result.ok) {
        const problem = decisionProblem(result.error)
        const fresh = (await findRequest(db, child.id, found.id)) ?? found
        return renderRequest(request, reply, fresh, {
          values,
          errors: formError(problem.field, problem.text),
        })
      }
      request.flash('success', 'Decision recorded')
      return reply.redirect(paths.funding.request(child.id, found.id), 303)
    },
  )

  app.post<{ Params: P & { requestId: string }; Body: Body }>(
    paths.funding.correction(':childId', ':requestId'),
    {
      config: {
        access: { action: 'funding.pay', child: true, reads: 'funding' },
        audit: RECORDED_IN_TRANSACTION,
      },
    },
    async (request, reply) => {
      const child = request.child!
      const found = isUuid(request.params.requestId)
        ? await findRequest(db, child.id, request.params.requestId)
        : undefined
      if (!found) return reply.code(404).render('pages/404.njk')
      const values = {
        amount: typeof request.body?.amount === 'string' ? request.body.amount : '',
        reason: typeof request.body?.reason === 'string' ? request.body.reason : '',
      }
      const result = await correct(db, actorFrom(request, clock), found, values)
      if (!result.ok) {
        const code = result.error.code
        const field = code === 'funding.reason-needed' ? 'correctionReason' : 'correctionAmount'
        const message =
          code === 'funding.reason-needed'
            ? 'Enter the reason for the correction'
            : code === 'funding.correction-too-large'
              ? `The correction must be no more than the ${money(Number(result.error.params?.paidPence ?? 0))} paid`
              : amountMessage('the amount to take back', result.error)
        return renderRequest(request, reply, found, undefined, {
          values,
          errors: formError(field, message),
        })
      }
      request.flash('success', 'Correction recorded: it will be in the next payment run')
      return reply.redirect(paths.funding.request(child.id, found.id), 303)
    },
  )
}

function parsePoundsOrZero(typed: string): number {
  const parsed = parsePounds(typed)
  return parsed.ok ? parsed.value : 0
}
