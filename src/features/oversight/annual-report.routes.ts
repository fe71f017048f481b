import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { attendanceFigures } from '../../domain/attendance.ts'
import { londonDate, type CalendarDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { formatPence } from '../../domain/money.ts'
import { percent, termFigures, type TermFigures } from '../../domain/oversight.ts'
import { TERM_NAMES, termLabel, termStart, type Term } from '../../domain/terms.ts'
import { academicYear, academicYearOf } from '../../domain/timescales.ts'
import { paths } from '../../paths.ts'
import { FormProblems } from '../../forms/validation.ts'
import type { ExportTable } from '../../shared/export/export-table.ts'
import { exportFormat, sendExport } from '../../shared/export/send.ts'
import { sendCsvZip } from '../../shared/export/zip.ts'
import {
  attendanceByChild,
  cohortMovement,
  exclusionCounts,
  ppPlusPaid,
} from './annual-report.query.ts'
import { readTermCohort } from './cohort.query.ts'
import { RATING_NAMES } from './dashboard.presenter.ts'
import {
  auditedQuery,
  authoritiesFor,
  queryString,
  readScope,
  type Query,
} from './oversight.form.ts'

/*
 * The annual report for a chosen academic year (ADR 11): the cohort and its movement, PEP
 * completion and timeliness term by term, quality and participation, and the attendance,
 * exclusions and Pupil Premium Plus recorded through issues 18 and 19. A printable page, and the
 * same figures as one CSV or spreadsheet table, or as a ZIP of one CSV file per table of the page.
 */

/** Each table of the page and its file's name in the ZIP pack. */
const SECTION_FILES: Record<string, string> = {
  Cohort: 'cohort-movement',
  PEPs: 'peps-by-term',
  Quality: 'quality-ratings',
  Participation: 'participation',
  Attendance: 'attendance',
  Exclusions: 'exclusions',
  'Pupil Premium Plus': 'pupil-premium-plus',
}

interface ReportRow {
  section: string
  figure: string
  /** One cell per term of the year (blank for a term not yet begun), then the year's. */
  cells: string[]
}

/** The academic year asked for: a past one or this one, "2026" for 2026/27. */
function readYear(query: Query, today: CalendarDate) {
  const asked = (Array.isArray(query.year) ? query.year[0] : query.year)?.trim() ?? ''
  const current = academicYearOf(today).startYear
  const problems = new FormProblems()
  let year = current
  if (asked) {
    year = Number(asked)
    if (!/^\d{4}$/.test(asked) || year < 2000)
      problems.add('year', 'Select an academic year from the list')
    else if (year > current)
      problems.add('year', 'The academic year must be this one or an earlier one')
  }
  return {
    asked: asked || String(current),
    year,
    errors: problems.any ? problems.errors : undefined,
  }
}

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
    for (const term of terms) {
      const cohort = await readTermCohort(db, authority.id, term, today)
      figures.set(term.name, termFigures(cohort.rows, cohort.frame, cohort.asOf))
    }
    const [movement, attendance, exclusions, ppPlus] = await Promise.all([
      cohortMovement(db, authority.id, ay.start, end),
      attendanceByChild(db, authority.id, ay.start, end),
      exclusionCounts(db, authority.id, ay.start, end),
      ppPlusPaid(db, authority.id, ay.start, end),
    ])

    const perTerm = (value: (f: TermFigures) => string, year?: string): string[] => [
      ...TERM_NAMES.map((name) => {
        const f = figures.get(name)
        return f ? value(f) : ''
      }),
      year ?? '',
    ]
    const share = (part: number, whole: number) => {
      const p = percent(part, whole)
      return p === null ? '' : `${p}%`
    }
    const sum = (value: (f: TermFigures) => number) =>
      [...figures.values()].reduce((total, f) => total + value(f), 0)
    const ratingRows: ReportRow[] = (
      ['outstanding', 'good', 'requires_improvement', 'inadequate'] as const
    ).map((r) => ({
      section: 'Quality',
      figure: `Rated ${RATING_NAMES[r].toLowerCase()}`,
      cells: perTerm((f) => String(f.ratings[r]), String(sum((f) => f.ratings[r]))),
    }))
    const persistent = attendance.filter(
      (a) => attendanceFigures({ ...a, authorised: 0, unauthorised: 0 }).persistentAbsence,
    ).length
    const rows: ReportRow[] = [
      {
        section: 'Cohort',
        figure: 'In care on 1 September',
        cells: ['', '', '', String(movement.atStart)],
      },
      { section: 'Cohort', figure: 'Entered care', cells: ['', '', '', String(movement.entered)] },
      {
        section: 'Cohort',
        figure: 'Ceased to be in care',
        cells: ['', '', '', String(movement.left)],
      },
      {
        section: 'Cohort',
        figure: end === ay.end ? 'In care on 31 August' : 'In care today',
        cells: ['', '', '', String(movement.atEnd)],
      },
      {
        section: 'Cohort',
        figure: 'In care at any time in the year',
        cells: ['', '', '', String(movement.anyTime)],
      },
      {
        section: 'PEPs',
        figure: 'Children in care (the term’s cohort)',
        cells: perTerm((f) => String(f.cohort)),
      },
      { section: 'PEPs', figure: 'No PEP', cells: perTerm((f) => String(f.byStage.no_pep)) },
      {
        section: 'PEPs',
        figure: 'Signed off',
        cells: perTerm(
          (f) => String(f.byStage.signed_off),
          String(sum((f) => f.byStage.signed_off)),
        ),
      },
      {
        section: 'PEPs',
        figure: 'Signed off by the term’s window',
        cells: perTerm((f) => String(f.signedOffByWindow), String(sum((f) => f.signedOffByWindow))),
      },
      {
        section: 'PEPs',
        figure: 'Share signed off by the window',
        cells: perTerm(
          (f) => share(f.signedOffByWindow, f.cohort),
          share(
            sum((f) => f.signedOffByWindow),
            sum((f) => f.cohort),
          ),
        ),
      },
      ...ratingRows,
      {
        section: 'Participation',
        figure: 'The young person took part, with their views recorded',
        cells: perTerm(
          (f) => `${f.participated} of ${f.participationAnswered}`,
          `${sum((f) => f.participated)} of ${sum((f) => f.participationAnswered)}`,
        ),
      },
      {
        section: 'Attendance',
        figure: 'Children with attendance recorded',
        cells: ['', '', '', String(attendance.length)],
      },
      {
        section: 'Attendance',
        figure: 'Missed 10% or more of their sessions (persistent absence)',
        cells: ['', '', '', String(persistent)],
      },
      {
        section: 'Exclusions',
        figure: 'Suspensions',
        cells: ['', '', '', String(exclusions.suspensions)],
      },
      {
        section: 'Exclusions',
        figure: 'Permanent exclusions',
        cells: ['', '', '', String(exclusions.permanent)],
      },
      {
        section: 'Exclusions',
        figure: 'Children excluded',
        cells: ['', '', '', String(exclusions.children)],
      },
      {
        section: 'Pupil Premium Plus',
        figure: 'Paid to schools and settings',
        cells: ['', '', '', formatPence(ppPlus.pence)],
      },
      {
        section: 'Pupil Premium Plus',
        figure: 'Children it was paid for',
        cells: ['', '', '', String(ppPlus.children)],
      },
    ]
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
      pageTitle: 'Annual report',
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
        pageTitle: `Annual report ${report.label}`,
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
      const figureColumns = [
        { header: 'Figure', value: (r: ReportRow) => r.figure },
        ...report.heads.map((head, i) => ({ header: head, value: (r: ReportRow) => r.cells[i] })),
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
              columns: figureColumns,
              rows,
            },
          })),
        )
      const table: ExportTable<ReportRow> = {
        title,
        preamble,
        columns: [{ header: 'Section', value: (r) => r.section }, ...figureColumns],
        rows: report.rows,
      }
      return sendExport(reply, exportFormat(request.query.format), table)
    },
  )
}
