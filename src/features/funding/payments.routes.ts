import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { addDays, londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { exportFormat, sendExport } from '../../shared/export/send.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import {
  fundingNotices,
  fundingTitles,
  runExport,
  runListRow,
  runModel,
  runSchoolRow,
} from './funding.presenter.ts'
import {
  paidRefusalErrors,
  readPaidForm,
  readRunForm,
  runEmptyErrors,
  type PaidValues,
  type RunValues,
} from './funding.form.ts'
import { fundingAuthorityOf, inAuthority, loadFundingAuthority } from './authority-context.ts'
import { listRuns, runLinesQuery, runSchools, type RunRow } from './payments.repository.ts'
import { loadRun, runOf } from './run-context.ts'
import { makeRun, payRun } from './payments.service.ts'

/*
 * Payment runs (issue 18), for Virtual School administrators: make a run for a period (every
 * approved, unpaid amount decided in it, and waiting corrections), read it by school, export it
 * for the finance team as CSV or .xlsx (each line with the child's case reference and the
 * target, never the child's name, and a total per school), and mark it paid with a date and
 * reference. A paid run is never changed.
 */

type Q = { authority?: string; format?: string }
type Body = Record<string, unknown> | undefined
const ACCESS = { action: 'funding.pay' } as const

export const paymentsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  const authorityStep = loadFundingAuthority(db, 'funding.pay')
  // A discarded run is only read: never exported or paid (404 then).
  const runToRead = loadRun(db, 'read')
  const runToPay = loadRun(db, 'export-or-pay')

  async function renderRuns(
    request: FastifyRequest<{ Querystring: Q }>,
    reply: FastifyReply,
    authority: AuthorityChoice,
    form?: { values: RunValues; errors: FormErrors },
  ) {
    const runs = await listRuns(db, authority.id)
    const today = londonDate(clock.now())
    const firstOfMonth = `${today.slice(0, 8)}01`
    const lastMonthStart = `${addDays(firstOfMonth, -1).slice(0, 8)}01`
    const split = (d: string) => ({
      day: String(Number(d.slice(8))),
      month: String(Number(d.slice(5, 7))),
      year: d.slice(0, 4),
    })
    return reply.code(form ? 400 : 200).render('funding/views/runs.njk', {
      pageTitle: fundingTitles.runs(authority.name),
      authority,
      overviewHref: inAuthority(paths.funding.overview(), authority),
      action: inAuthority(paths.funding.runs(), authority),
      values: form?.values ?? { from: split(lastMonthStart), to: split(today) },
      errors: form?.errors,
      runs: runs.map((r) => runListRow(r, inAuthority(paths.funding.run(r.id), authority))),
    })
  }

  app.get<{ Querystring: Q }>(
    paths.funding.runs(),
    { config: { access: ACCESS, audit: 'funding.runs.view' }, preHandler: authorityStep },
    async (request, reply) => {
      const authority = fundingAuthorityOf(request)
      return renderRuns(request, reply, authority)
    },
  )

  app.post<{ Querystring: Q; Body: Body }>(
    paths.funding.runs(),
    { config: { access: ACCESS, audit: RECORDED_IN_TRANSACTION }, preHandler: authorityStep },
    async (request, reply) => {
      const authority = fundingAuthorityOf(request)
      const form = readRunForm(request.body)
      if (!form.ok) return renderRuns(request, reply, authority, form)
      const made = await makeRun(db, actorFrom(request, clock), authority.id, form.value)
      if (!made.ok)
        return renderRuns(request, reply, authority, {
          values: form.values,
          errors: runEmptyErrors(),
        })
      request.flash('success', fundingNotices.runMade(made.value.lines))
      return reply.redirect(inAuthority(paths.funding.run(made.value.runId), authority), 303)
    },
  )

  async function renderRun(
    reply: FastifyReply,
    authority: AuthorityChoice,
    run: RunRow,
    form?: { values: PaidValues; errors: FormErrors },
  ) {
    const schools = await runSchools(db, run.id)
    return reply.code(form ? 400 : 200).render('funding/views/run.njk', {
      pageTitle: fundingTitles.run(run, authority.name),
      authority,
      run: runModel(run),
      runsHref: inAuthority(paths.funding.runs(), authority),
      csvHref: inAuthority(paths.funding.runExport(run.id), authority, '&format=csv'),
      xlsxHref: inAuthority(paths.funding.runExport(run.id), authority, '&format=xlsx'),
      paidAction: inAuthority(paths.funding.runPaid(run.id), authority),
      discardHref: inAuthority(paths.funding.runDiscard(run.id), authority),
      schools: schools.map(runSchoolRow),
      values: form?.values ?? { paidOn: { day: '', month: '', year: '' }, reference: '' },
      errors: form?.errors,
    })
  }

  app.get<{ Params: { runId: string }; Querystring: Q }>(
    paths.funding.run(':runId'),
    {
      config: { access: ACCESS, audit: 'funding.run.view' },
      preHandler: [authorityStep, runToRead],
    },
    async (request, reply) => renderRun(reply, fundingAuthorityOf(request), runOf(request)),
  )

  app.get<{ Params: { runId: string }; Querystring: Q }>(
    paths.funding.runExport(':runId'),
    {
      config: { access: ACCESS, audit: 'funding.run.export' },
      preHandler: [authorityStep, runToPay],
    },
    async (request, reply) => {
      const run = runOf(request)
      // A national run is about 9,000 lines: read at once (the pg cursor is not installed).
      const rows = await runLinesQuery(db, run.id).execute()
      return sendExport(
        reply,
        exportFormat(request.query.format),
        runExport(run, fundingAuthorityOf(request), rows),
      )
    },
  )

  app.post<{ Params: { runId: string }; Querystring: Q; Body: Body }>(
    paths.funding.runPaid(':runId'),
    {
      config: { access: ACCESS, audit: RECORDED_IN_TRANSACTION },
      preHandler: [authorityStep, runToPay],
    },
    async (request, reply) => {
      const authority = fundingAuthorityOf(request)
      const run = runOf(request)
      const form = readPaidForm(request.body)
      if (!form.ok) return renderRun(reply, authority, run, form)
      const paid = await payRun(db, actorFrom(request, clock), authority.id, run.id, form.value)
      if (!paid.ok)
        return renderRun(reply, authority, run, {
          values: form.values,
          errors: paidRefusalErrors(paid.error),
        })
      request.flash('success', fundingNotices.runPaid)
      return reply.redirect(inAuthority(paths.funding.run(run.id), authority), 303)
    },
  )
}
