import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import type { TermFigures } from '../../domain/oversight.ts'
import { TERM_NAMES, termLabel, termStart, type Term } from '../../domain/terms.ts'
import { academicYear, academicYearOf } from '../../domain/timescales.ts'
import { paths } from '../../paths.ts'
import { exportFormat, sendExport } from '../../shared/export/send.ts'
import { sendCsvZip } from '../../shared/export/zip.ts'
import { readYear } from './annual-report.form.ts'
import {
  SECTION_FILES,
  annualReportTitle,
  figureColumns,
  reportRows,
  reportTable,
} from './annual-report.presenter.ts'
import {
  attendanceCounts,
  cohortMovement,
  exclusionCounts,
  ppPlusPaid,
} from './annual-report.query.ts'
import { readTermFigures } from './figures.query.ts'
import {
  auditedQuery,
  authoritiesFor,
  queryString,
  readScope,
  type Query,
} from '../../shared/list-filters.ts'

/*
 * The annual report's page and downloads for a chosen academic year (ADR 11): the cohort and its movement, PEP
 * completion and timeliness term by term, quality and participation, and the attendance,
 * exclusions and Pupil Premium Plus recorded through issues 18 and 19. A printable page, and the
 * same figures as one CSV or spreadsheet table, or as a ZIP of one CSV file per table of the page.
 */

export const annualReportRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  async function build(query: Query, reply: FastifyReply) {
    const user = reply.request.user!
    const today = londonDate(clock.now())
    const authorities = authoritiesFor(user, 'oversight.view')
    const scope = readScope({ authority: query.authority }, authorities, today)
    const year = readYear(query, today)
    const current = academicYearOf(today).startYear
    const yearItems = [0, 1, 2, 3].map((back) => ({
      value: String(current - back),
      text: academicYear(current - back).label,
      selected: String(current - back) === year.asked,
    }))
    const authorityItems =
      authorities.length > 1 || scope.errors
        ? authorities.map((a) => ({
            value: a.id,
            text: a.name,
            selected: a.id === scope.values.authority,
          }))
        : null
    const errors = scope.errors ?? year.errors
    if (!scope.scope || errors) return { errors, yearItems, authorityItems, asked: year.asked }

    const authority = scope.scope.authority
    const ay = academicYear(year.year)
    const end = ay.end < today ? ay.end : today
    const terms: Term[] = TERM_NAMES.map((name) => ({ academicYear: year.year, name })).filter(
      (t) => termStart(t) <= today,
    )
    const figures = new Map<string, TermFigures>()
    // Each term's figures counted in SQL, as the dashboard's (figures.test.ts holds them equal to
    // termFigures over the cohort's rows), not three whole cohorts read to be counted here.
    for (const term of terms)
      figures.set(term.name, (await readTermFigures(db, authority.id, term, today)).figures)
    const [movement, attendance, exclusions, ppPlus] = await Promise.all([
      cohortMovement(db, authority.id, ay.start, end),
      attendanceCounts(db, authority.id, ay.start, end),
      exclusionCounts(db, authority.id, ay.start, end),
      ppPlusPaid(db, authority.id, ay.start, end),
    ])

    const rows = reportRows({
      figures,
      movement,
      attendance,
      exclusions,
      ppPlus,
      wholeYear: end === ay.end,
    })
    return {
      yearItems,
      authorityItems,
      asked: year.asked,
      report: {
        authority,
        label: ay.label,
        asOf: end,
        heads: [...TERM_NAMES.map((name) => termLabel({ academicYear: year.year, name })), 'Year'],
        rows,
        sections: [...new Set(rows.map((r) => r.section))].map((section) => ({
          section,
          rows: rows.filter((r) => r.section === section),
        })),
      },
    }
  }

  /** A year or authority that is not one of the choices: the page again, with its errors. */
  function renderRefused(reply: FastifyReply, built: Awaited<ReturnType<typeof build>>) {
    return reply.code(400).render('oversight/views/annual-report.njk', {
      pageTitle: annualReportTitle(),
      errors: built.errors,
      yearItems: built.yearItems,
      authorityItems: built.authorityItems,
    })
  }

  const reportConfig = (
    audit: 'oversight.annual-report.view' | 'oversight.annual-report.export',
  ) => ({
    access: { action: 'oversight.view' as const },
    audit,
    auditDetails: (request: FastifyRequest) => auditedQuery(request.query as Query),
  })

  app.get<{ Querystring: Query }>(
    paths.oversight.annualReport(),
    { config: reportConfig('oversight.annual-report.view') },
    async (request, reply) => {
      const built = await build(request.query, reply)
      if (!built.report) return renderRefused(reply, built)
      const { report } = built
      const asked = { authority: report.authority.id, year: built.asked }
      return reply.render('oversight/views/annual-report.njk', {
        pageTitle: annualReportTitle(report.label),
        caption: report.authority.name,
        yearItems: built.yearItems,
        authorityItems: built.authorityItems,
        authorityId: report.authority.id,
        report,
        csvHref: `${paths.oversight.annualReportExport()}${queryString({ ...asked, format: 'csv' })}`,
        xlsxHref: `${paths.oversight.annualReportExport()}${queryString({ ...asked, format: 'xlsx' })}`,
        zipHref: `${paths.oversight.annualReportExport()}${queryString({ ...asked, format: 'zip' })}`,
        dashboardHref: `${paths.oversight.dashboard()}${queryString({ authority: report.authority.id })}`,
      })
    },
  )

  app.get<{ Querystring: Query }>(
    paths.oversight.annualReportExport(),
    { config: reportConfig('oversight.annual-report.export') },
    async (request, reply) => {
      const built = await build(request.query, reply)
      if (!built.report) return renderRefused(reply, built)
      const { report } = built
      const title = `annual report ${report.authority.name} ${report.label}`
      const preamble = [
        `Authority: ${report.authority.name}`,
        `Academic year: ${report.label}`,
        `Figures up to: ${report.asOf}`,
      ]
      if (request.query.format === 'zip')
        return sendCsvZip(
          reply,
          title,
          report.sections.map(({ section, rows }) => ({
            name: SECTION_FILES[section] ?? section,
            table: {
              title: section,
              preamble: [...preamble, `Table: ${section}`],
              columns: figureColumns(report.heads),
              rows,
            },
          })),
        )
      return sendExport(
        reply,
        exportFormat(request.query.format),
        reportTable(title, preamble, report.heads, report.rows),
      )
    },
  )
}
