import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import {
  financialYearLabel,
  financialYearOf,
  IMPACT_OUTCOMES,
  parseFinancialYear,
} from '../../domain/funding.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { exportFormat, sendExport } from '../../shared/export/send.ts'
import { childPageModel } from '../../shared/child-header.ts'
import { pepTitle } from '../peps/pep.presenter.ts'
import { readImpactForm, type ImpactValues } from './funding.form.ts'
import {
  earlierImpactRows,
  fundingNotices,
  fundingTitles,
  requestRow,
  spendReportExport,
  spendReportTables,
} from './funding.presenter.ts'
import { earlierImpacts, fundedBefore, type RequestRow } from './funding.repository.ts'
import { saveImpact } from './funding.service.ts'
import { fundingAuthorityOf, inAuthority, loadFundingAuthority } from './authority-context.ts'
import { fundingPepOf, fundingRequestOf, loadFundedRequest, loadPep } from './request-context.ts'
import { spendAndImpact } from './report.query.ts'

/*
 * Impact (issue 18): at the next review, each funded target of the child's earlier PEPs records
 * how it turned out and what difference the funding made; and the Virtual School's report of
 * spend by category, school and year group against those outcomes, exportable.
 */

type PP = { childId: string; pepId: string }
type Body = Record<string, unknown> | undefined
const ACCESS = { action: 'funding.request', child: true, reads: 'funding' } as const

export const impactRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  app.get<{ Params: PP }>(
    paths.funding.impact(':childId', ':pepId'),
    { config: { access: ACCESS, audit: 'funding.pep.view' }, preHandler: loadPep(db) },
    async (request, reply) => {
      const pep = fundingPepOf(request)
      const child = request.child!
      const funded = await fundedBefore(db, child.id, pep.id)
      return reply.render('funding/views/impact.njk', {
        ...childPageModel(request, 'peps'),
        pageTitle: fundingTitles.impact(pep),
        pepTitle: pepTitle(pep),
        pepHref: paths.peps.contents(child.id, pep.id),
        open: pep.status !== 'signed_off',
        requests: funded.map((r) => ({
          ...requestRow(r),
          formHref: paths.funding.impactOf(child.id, pep.id, r.id),
        })),
      })
    },
  )

  const loadFunded = [loadPep(db), loadFundedRequest(db)]

  async function renderForm(
    request: FastifyRequest<{ Params: PP & { requestId: string } }>,
    reply: FastifyReply,
    found: RequestRow,
    pepName: string,
    values: ImpactValues,
    errors?: FormErrors,
    version = String(found.impactVersion ?? 0),
  ) {
    const child = request.child!
    const earlier = await earlierImpacts(db, found.id)
    return reply.code(errors ? 400 : 200).render('funding/views/impact-form.njk', {
      version,
      earlier: earlierImpactRows(earlier),
      ...childPageModel(request, 'peps'),
      pageTitle: fundingTitles.recordImpact(pepName),
      pepTitle: pepName,
      backHref: paths.funding.impact(child.id, request.params.pepId),
      request: requestRow(found),
      outcomes: IMPACT_OUTCOMES.map((o) => ({
        value: o.value,
        text: o.text,
        checked: values.outcome === o.value,
      })),
      values,
      errors,
    })
  }

  app.get<{ Params: PP & { requestId: string } }>(
    paths.funding.impactOf(':childId', ':pepId', ':requestId'),
    { config: { access: ACCESS, audit: 'funding.request.view' }, preHandler: loadFunded },
    async (request, reply) => {
      const pep = fundingPepOf(request)
      const found = fundingRequestOf(request)
      return renderForm(request, reply, found, pepTitle(pep), {
        outcome: found.impactOutcome ?? '',
        difference: found.impactDifference ?? '',
      })
    },
  )

  app.post<{ Params: PP & { requestId: string }; Body: Body }>(
    paths.funding.impactOf(':childId', ':pepId', ':requestId'),
    { config: { access: ACCESS, audit: RECORDED_IN_TRANSACTION }, preHandler: loadFunded },
    async (request, reply) => {
      const pep = fundingPepOf(request)
      const found = fundingRequestOf(request)
      const form = readImpactForm(request.body)
      const seen = typeof request.body?.['version'] === 'string' ? request.body['version'] : ''
      if (!form.ok)
        return renderForm(request, reply, found, pepTitle(pep), form.values, form.errors, seen)
      const saved = await saveImpact(db, actorFrom(request, clock), found, pep.id, {
        ...form.value,
        fromVersion: /^\d{1,9}$/.test(seen) ? Number(seen) : -1,
      })
      if (!saved.ok) {
        // Someone corrected it meanwhile: theirs is kept, what was typed stays, nothing is lost.
        const message =
          'Someone else recorded the impact since you opened this page. Their record is shown below; check it and save again'
        const fresh = (await fundedBefore(db, request.child!.id, pep.id)).find(
          (r) => r.id === found.id,
        )!
        return renderForm(
          request,
          reply,
          fresh,
          pepTitle(pep),
          { outcome: form.value.outcome, difference: form.value.difference },
          {
            list: [{ text: message, href: '#outcome' }],
            fields: {},
          },
        )
      }
      request.flash('success', fundingNotices.impactRecorded)
      return reply.redirect(paths.funding.impact(request.child!.id, pep.id), 303)
    },
  )

  app.get<{ Querystring: { authority?: string; year?: string; format?: string } }>(
    paths.funding.report(),
    {
      config: { access: { action: 'funding.oversee' }, audit: 'funding.report.view' },
      preHandler: loadFundingAuthority(db, 'funding.oversee'),
    },
    async (request, reply) => {
      const authority = fundingAuthorityOf(request)
      const year =
        parseFinancialYear(request.query.year) ?? financialYearOf(londonDate(clock.now()))
      const rows = await spendAndImpact(db, authority.id, year)
      if (request.query.format === 'csv' || request.query.format === 'xlsx')
        return sendExport(
          reply,
          exportFormat(request.query.format),
          spendReportExport(rows, authority, year),
        )
      const base = inAuthority(
        paths.funding.report(),
        authority,
        `&year=${financialYearLabel(year)}`,
      )
      return reply.render('funding/views/report.njk', {
        pageTitle: fundingTitles.report(year, authority.name),
        authority,
        year: financialYearLabel(year),
        overviewHref: inAuthority(paths.funding.overview(), authority),
        csvHref: `${base}&format=csv`,
        xlsxHref: `${base}&format=xlsx`,
        tables: spendReportTables(rows),
      })
    },
  )
}
