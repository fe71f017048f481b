import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { toDecimalPounds } from '../../domain/money.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { childPageModel } from '../../shared/child-header.ts'
import { pepTitle } from '../peps/pep.presenter.ts'
import { type PepRow } from '../peps/peps.service.ts'
import { fundingNotices, fundingTitles, requestFormHeading } from './funding.presenter.ts'
import { readRequestForm, requestRefusalErrors, type RequestValues } from './funding.form.ts'
import { findRequestForTarget, loadFundingSettings, targetsOfPep } from './funding.repository.ts'
import { saveRequest } from './funding.service.ts'
import { fundingPepOf, loadPep } from './request-context.ts'

/*
 * Requesting Pupil Premium Plus for a SMART target of a PEP below post-16, or changing the
 * request until the Virtual School decides (issue 18): for the roles allowed `funding.request`
 * on the child.
 */

type P = { childId: string }
type PP = P & { pepId: string }
type Body = Record<string, unknown> | undefined

export const requestFormRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
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
      return { reply: reply.notFound() }
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
        pageTitle: fundingTitles.requestForm(Boolean(existing), pep),
        heading: requestFormHeading(Boolean(existing)),
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
      preHandler: loadPep(db),
    },
    async (request, reply) => {
      const pep = fundingPepOf(request)
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
      preHandler: loadPep(db),
    },
    async (request, reply) => {
      const pep = fundingPepOf(request)
      const child = request.child!
      const targets = await targetsOfPep(db, pep.id)
      const target = targets.find((t) => t.id === request.params.targetId)
      if (!target || pep.formType === 'post-16' || pep.status === 'signed_off')
        return reply.notFound()
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
            errors: requestRefusalErrors(saved.error.code),
          })
        ).reply
      }
      request.flash('success', fundingNotices.requested(Boolean(existing)))
      return reply.redirect(paths.funding.pep(child.id, pep.id), 303)
    },
  )
}
