import { attendanceFigures, type AttendanceFigures } from '../../domain/attendance.ts'
import { paths } from '../../paths.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import type { AttendanceRow } from './attendance.repository.ts'
import { EXCLUSION_REASONS } from '../../domain/exclusion.ts'
import type { Exclusion } from '../../domain/exclusion.ts'
import type { ExclusionRevisionRow, ExclusionRow } from './exclusions.repository.ts'
import { EXCLUSION_STATUS_WORDS } from './exclusions.form.ts'

/*
 * The words and rows of the child's attendance (issue 19): a table of the current figures of
 * each period (newest first) with each period's earlier versions under it, a chart of the same
 * figures oldest first (an SVG drawn from attributes, no script, hidden from screen readers: the
 * table says the same), and the absence flags computed from sessions.
 */

const SOURCES = { record: 'Record', pep: 'PEP', import: 'Import' } as const

type Named = { firstName: string; lastName: string }
const nameOf = (child: Named) => `${child.firstName} ${child.lastName}`

/** The headings and page titles of a child's attendance, exclusions and attainment, and of the import. */
export const attendanceTitles = {
  attendance: (child: Named) => `Attendance and exclusions – ${nameOf(child)}`,
  periodHeading: (correcting: boolean) =>
    correcting ? 'Correct attendance' : 'Add attendance for a period',
  exclusionHeading: (correcting: boolean) =>
    correcting ? 'Correct an exclusion' : 'Record an exclusion',
  /**
   * A form's title: its heading and the child. The layout puts "Error: " before it when the form
   * has errors; `refused` puts it there for a refusal shown without them.
   */
  form: (heading: string, child: Named, refused = false) =>
    `${refused ? 'Error: ' : ''}${heading} – ${nameOf(child)}`,
  attainment: (child: Named) => `Attainment – ${nameOf(child)}`,
  recordAttainment: (child: Named) => `Record attainment – ${nameOf(child)}`,
  import: 'Import attendance from a CSV file',
}

export function percentText(figures: AttendanceFigures): string {
  return figures.percentage === null ? 'No sessions' : `${figures.percentage.toFixed(1)}%`
}

/** The flag a period carries, as a GOV.UK tag: severe absence, persistent absence or none. */
export function absenceFlag(figures: AttendanceFigures): { text: string; classes: string } | null {
  if (figures.severeAbsence) return { text: 'Severe absence', classes: 'govuk-tag--red' }
  if (figures.persistentAbsence) return { text: 'Persistent absence', classes: 'govuk-tag--orange' }
  return null
}

const periodText = (row: AttendanceRow) =>
  `${formatDate(row.startsOn)} to ${formatDate(row.endsOn)}`

export interface AttendanceView {
  periods: {
    id: string
    period: string
    school: string
    possible: number
    attended: number
    authorised: number
    unauthorised: number
    percentage: string
    flag: { text: string; classes: string } | null
    recorded: string
    correctHref: string
    versions: { recorded: string; figures: string }[]
  }[]
  latest: {
    period: string
    percentage: string
    flag: { text: string; classes: string } | null
  } | null
  chart: Chart | null
}

export interface Chart {
  width: number
  height: number
  /** The y of the 90% line. */
  lineY: number
  bars: {
    x: number
    y: number
    width: number
    height: number
    label: string
    labelX: number
    flagged: boolean
  }[]
}

export function presentAttendance(
  childId: string,
  rows: readonly AttendanceRow[],
  canCorrect: boolean,
): AttendanceView {
  const current = rows.filter((r) => r.supersededAt === null)
  const periods = current.map((row) => {
    const figures = attendanceFigures(row)
    return {
      id: row.id,
      period: periodText(row),
      school: row.schoolName ?? 'Not recorded',
      possible: row.possible,
      attended: row.attended,
      authorised: row.authorised,
      unauthorised: row.unauthorised,
      percentage: percentText(figures),
      flag: absenceFlag(figures),
      recorded: recordedText(row),
      correctHref: canCorrect ? paths.children.correctAttendance(childId, row.id) : '',
      versions: earlierVersions(rows, row.id).map((v) => ({
        recorded: recordedText(v),
        figures: `${periodText(v)}: ${v.attended} of ${v.possible} sessions attended, ${v.authorised} authorised and ${v.unauthorised} unauthorised absence (${percentText(attendanceFigures(v))})`,
      })),
    }
  })
  const newest = current[0]
  const newestFigures = newest ? attendanceFigures(newest) : null
  return {
    periods,
    latest:
      newest && newestFigures
        ? {
            period: periodText(newest),
            percentage: percentText(newestFigures),
            flag: absenceFlag(newestFigures),
          }
        : null,
    chart: chartOf(current),
  }
}

/** The versions a current row replaced, newest first, following the chain of corrections. */
function earlierVersions(rows: readonly AttendanceRow[], id: string): AttendanceRow[] {
  const bySuccessor = new Map(rows.filter((r) => r.supersededBy).map((r) => [r.supersededBy!, r]))
  const chain: AttendanceRow[] = []
  for (let r = bySuccessor.get(id); r && chain.length < 100; r = bySuccessor.get(r.id))
    chain.push(r)
  return chain
}

function recordedText(row: AttendanceRow): string {
  return `${SOURCES[row.source]}, ${row.recordedBy ?? 'OpenPEP'}, ${formatDateTime(row.recordedAt)}`
}

const CHART_HEIGHT = 160
const BAR = 28
const GAP = 12

function chartOf(current: readonly AttendanceRow[]): Chart | null {
  const shown = current
    .filter((r) => r.possible > 0)
    .slice(0, 15)
    .reverse()
  if (shown.length === 0) return null
  const y = (percent: number) => Math.round(CHART_HEIGHT - (percent / 100) * CHART_HEIGHT)
  return {
    width: shown.length * (BAR + GAP) + GAP,
    height: CHART_HEIGHT + 24,
    lineY: y(90),
    bars: shown.map((row, i) => {
      const figures = attendanceFigures(row)
      const top = y(figures.percentage ?? 0)
      return {
        x: GAP + i * (BAR + GAP),
        y: top,
        width: BAR,
        height: CHART_HEIGHT - top,
        label: `${figures.percentage?.toFixed(0)}%`,
        labelX: GAP + i * (BAR + GAP) + BAR / 2,
        flagged: figures.persistentAbsence,
      }
    }),
  }
}

/** The line on the child's record: the latest period's attendance and its flag, linking here. */
export function presentLatestAttendance(childId: string, latest: AttendanceRow | undefined) {
  if (!latest)
    return { text: 'No attendance recorded', flag: null, href: paths.children.attendance(childId) }
  const figures = attendanceFigures(latest)
  return {
    text: `${percentText(figures)} (${periodText(latest)})`,
    flag: absenceFlag(figures),
    href: paths.children.attendance(childId),
  }
}

const exclusionFacts = (e: Exclusion) => ({
  kind: e.kind === 'permanent' ? 'Permanent exclusion' : 'Suspension',
  dates: e.endsOn
    ? `${formatDate(e.startsOn)} to ${formatDate(e.endsOn)}`
    : `From ${formatDate(e.startsOn)}`,
  sessions: e.sessionsMissed === null ? 'Not given' : String(e.sessionsMissed),
  reason: EXCLUSION_REASONS[e.reason] ?? e.reason,
  provision: e.provision || 'None needed (five school days or fewer)',
})

/**
 * The exclusions as rows of a table, most recent first, each with its earlier versions (newest
 * first) and, for those who may change it, a link to correct it.
 */
export function presentExclusions(
  childId: string,
  rows: readonly ExclusionRow[],
  revisions: readonly ExclusionRevisionRow[],
  canChange: boolean,
) {
  return rows.map((e) => ({
    ...exclusionFacts(e),
    status: e.status === 'in-force' ? '' : EXCLUSION_STATUS_WORDS[e.status],
    startsText: formatDate(e.startsOn),
    school: e.schoolName ?? 'Not recorded',
    recorded: `${e.recordedBy ?? 'OpenPEP'}, ${formatDateTime(e.recordedAt)}`,
    correctHref: canChange ? paths.children.correctExclusion(childId, e.id) : '',
    earlier: revisions
      .filter((r) => r.exclusionId === e.id && r.version < e.version)
      .map((r) => ({
        version: r.version,
        ...exclusionFacts(r.record),
        status: EXCLUSION_STATUS_WORDS[r.record.status ?? 'in-force'],
        recorded: `${r.recordedBy ?? 'OpenPEP'}, ${formatDateTime(new Date(r.recordedAt))}`,
      })),
  }))
}
