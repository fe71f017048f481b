import type { CalendarDate } from '../../domain/calendar-date.ts'
import { CIRCUMSTANCE_KINDS } from '../../domain/education-circumstance.ts'
import { CIRCUMSTANCE_SHORT } from '../../forms/circumstance-messages.ts'
import {
  OVERDUE_KINDS,
  PEP_STAGES,
  RATINGS,
  initialPepState,
  initiatedState,
  percent,
  EDUCATION_FLAGS,
  type InitialPepState,
} from '../../domain/oversight.ts'
// The words of the stages, overdue kinds and ratings live with them in src/domain/oversight.ts.
export { OVERDUE_NAMES, RATING_NAMES, STAGE_NAMES } from '../../domain/oversight.ts'
import { EDUCATION_FLAG_NAMES, REVIEW_GAP_NAME } from '../../shared/list-filter-words.ts'
export { EDUCATION_FLAG_NAMES, REVIEW_GAP_NAME }
import { OVERDUE_NAMES, RATING_NAMES, STAGE_NAMES } from '../../domain/oversight.ts'
import { parseTermKey, termKey, termLabel, type Term } from '../../domain/terms.ts'
import { initialPepInitiateBy, initialPepMeetingBy } from '../../domain/timescales.ts'
import {
  KEY_STAGE_NAMES,
  YEAR_GROUPS,
  YEAR_GROUP_NAMES,
  type KeyStage,
} from '../../domain/year-group.ts'
import { paths } from '../../paths.ts'
import { formatDate } from '../../views/format.ts'
import type { TermRatings } from './cohort.query.ts'
import type { TermDashboard } from './figures.query.ts'
import {
  NO_PLACEMENT,
  queryString,
  termChoices,
  type OverseenAuthority,
  type Scope,
} from '../../shared/list-filters.ts'

export const DASHBOARD_HEADING = 'Virtual School dashboard'
/** The dashboard's title: the term it is of, once the scope is read. */
export const dashboardTitle = (term?: Term) =>
  term ? `${DASHBOARD_HEADING}: ${termLabel(term)}` : DASHBOARD_HEADING

/*
 * The dashboard's words and figures. Every count links to the list of the children behind it
 * (the same rows, the same rules), and every chart is drawn here as SVG with a table of the
 * same figures beside it.
 */

const CRITERION_NAMES: Record<string, string> = {
  'qa-education-experiences': 'Education history and experiences',
  'qa-literacy-progress': 'Progress in literacy',
  'qa-literacy-attainment': 'Attainment in literacy',
  'qa-maths-progress': 'Progress in mathematics',
  'qa-maths-attainment': 'Attainment in mathematics',
  'qa-review-process': 'Review of the last targets',
  'qa-target-setting': 'The new targets',
  'qa-pp-funding': 'Use of Pupil Premium Plus',
  'qa-off-site-provision': 'Part-time timetables and off-site provision',
  'qa-transition': 'Planning for transitions',
}

const CRITERION_RATINGS = [...RATINGS, 'not_applicable'] as const
const CRITERION_RATING_NAMES: Record<string, string> = {
  ...RATING_NAMES,
  not_applicable: 'Not applicable',
}

export interface Bar {
  label: string
  value: number
  href?: string
}

/** A horizontal bar chart as SVG geometry, with its text alternative. */
export function barChart(title: string, bars: readonly Bar[]) {
  const rowHeight = 28
  const labelWidth = 260
  const barSpace = 320
  const max = Math.max(1, ...bars.map((b) => b.value))
  return {
    title,
    width: labelWidth + barSpace + 60,
    height: bars.length * rowHeight + 8,
    labelWidth,
    description: `${title}: ${bars.map((b) => `${b.label} ${b.value}`).join(', ')}.`,
    bars: bars.map((b, i) => ({
      ...b,
      y: i * rowHeight + 4,
      textY: i * rowHeight + 22,
      barWidth: Math.round((b.value / max) * barSpace),
      valueX: labelWidth + Math.round((b.value / max) * barSpace) + 6,
    })),
  }
}

const shareText = (part: number, whole: number) => {
  const p = percent(part, whole)
  return p === null ? 'none to count' : `${p}%`
}

/**
 * The cohort by school, each linking to its list: the name, and whether it is out of the
 * authority's area, as the figures' read gives them; by name, then id.
 */
function schoolCounts(
  schools: TermDashboard['schools'],
  bySchool: Readonly<Record<string, number | undefined>>,
  listHref: (filters: Record<string, string>) => string,
): Bar[] {
  return schools
    .filter((s) => (bySchool[s.id] ?? 0) > 0)
    .sort((x, y) => x.name.localeCompare(y.name, 'en-GB') || (x.id < y.id ? -1 : 1))
    .map((school) => ({
      label: school.inArea ? school.name : `${school.name} (out of the area)`,
      value: bySchool[school.id] ?? 0,
      href: listHref({ school: school.id }),
    }))
}

export function presentDashboard(input: {
  scope: Scope
  authorities: readonly OverseenAuthority[]
  /** The term's figures, counted in the database (figures.query.ts). */
  cohort: TermDashboard
  trend: readonly TermRatings[]
  criteria: readonly { criterion: string; rating: string; n: number }[]
  today: CalendarDate
  canRemind: boolean
}) {
  const { scope, cohort, today } = input
  const base = { authority: scope.authority.id, term: termKey(scope.term) }
  const listHref = (filters: Record<string, string>) =>
    `${paths.oversight.children()}${queryString({ ...base, ...filters })}`
  const { figures } = cohort
  const windowClosed = cohort.frame.windowDeadline < today

  const stages = PEP_STAGES.map((stage) => ({
    label: STAGE_NAMES[stage],
    value: figures.byStage[stage],
    href: listHref({ stage }),
  }))
  const overdue = [...OVERDUE_KINDS, 'any' as const].map((kind) => ({
    label: OVERDUE_NAMES[kind],
    value: kind === 'any' ? figures.anyOverdue : figures.overdue[kind],
    href: listHref({ overdue: kind }),
  }))
  const ratings = RATINGS.map((rating) => ({
    label: RATING_NAMES[rating],
    value: figures.ratings[rating],
    share: shareText(figures.ratings[rating], figures.rated),
    href: listHref({ rating }),
  }))
  const criteria = Object.entries(CRITERION_NAMES).map(([id, name]) => ({
    name,
    cells: CRITERION_RATINGS.map(
      (rating) => input.criteria.find((c) => c.criterion === id && c.rating === rating)?.n ?? 0,
    ),
  }))
  const trend = [...input.trend].reverse().map((t) => {
    const goodOrBetter = (t.ratings['outstanding'] ?? 0) + (t.ratings['good'] ?? 0)
    return {
      term: t.term,
      label: termLabel(parseTermKey(t.term)!),
      signedOff: t.signedOff,
      goodOrBetter,
      share: shareText(goodOrBetter, t.signedOff),
    }
  })
  const initial = cohort.entered.map((c) => {
    const meetingBy = initialPepMeetingBy(c.enteredCareOn, cohort.settings, cohort.closures)
    const state: InitialPepState = initialPepState(c.pep, meetingBy, today)
    // The first deadline too: initiated within its working days of entering care (issue 19).
    const initiateBy = initialPepInitiateBy(c.enteredCareOn, cohort.settings, cohort.closures)
    const initiated = initiatedState(c.pep?.startedOn ?? null, initiateBy, today)
    return {
      name: `${c.lastName}, ${c.firstName}`,
      href: paths.children.show(c.childId),
      enteredCare: formatDate(c.enteredCareOn),
      meetingBy: formatDate(meetingBy),
      meetingOn: c.pep?.meetingOn ? formatDate(c.pep.meetingOn) : 'Not set',
      state,
      stateText: { met: 'Held in time', due: 'Due', late: 'Late' }[state],
      initiateBy: formatDate(initiateBy),
      initiated,
      initiatedText: {
        met: 'Started in time',
        missed: 'Started late',
        due: 'Due',
        late: 'Late',
      }[initiated],
    }
  })
  const keyStages = (['EYFS', 'KS1', 'KS2', 'KS3', 'KS4', 'KS5'] as KeyStage[]).map((ks) => ({
    label: KEY_STAGE_NAMES[ks],
    value: figures.byKeyStage[ks] ?? 0,
    href: listHref({ keyStage: ks }),
  }))
  const yearGroups = [
    { code: 'under_2', name: 'Under 2' },
    ...YEAR_GROUPS.map((y) => ({ code: y, name: YEAR_GROUP_NAMES[y] })),
    { code: 'beyond_13', name: 'Beyond Year 13' },
  ]
    .map((y) => ({
      label: y.name,
      value: figures.byYearGroup[y.code as keyof typeof figures.byYearGroup] ?? 0,
      href: listHref({ year: y.code }),
    }))
    .filter((y) => y.value > 0)

  return {
    pageTitle: dashboardTitle(scope.term),
    heading: DASHBOARD_HEADING,
    caption: `${scope.authority.name}, ${termLabel(scope.term)}`,
    authorityItems:
      input.authorities.length > 1
        ? input.authorities.map((a) => ({
            value: a.id,
            text: a.name,
            selected: a.id === scope.authority.id,
          }))
        : null,
    authorityId: scope.authority.id,
    termItems: termChoices(today, scope.term).map((t) => ({
      value: termKey(t),
      text: termLabel(t),
      selected: termKey(t) === termKey(scope.term),
    })),
    asOf: formatDate(cohort.asOf),
    cohort: { value: figures.cohort, href: listHref({}) },
    windowDeadline: formatDate(cohort.frame.windowDeadline),
    windowClosed,
    signedOffByWindow: {
      value: figures.signedOffByWindow,
      share: shareText(figures.signedOffByWindow, figures.cohort),
    },
    stages,
    stageChart: barChart('PEPs by state', stages),
    overdue,
    initial,
    initialCounts: {
      due: initial.filter((i) => i.state === 'due').length,
      late: initial.filter((i) => i.state === 'late').length,
    },
    ratings,
    rated: figures.rated,
    ratingChart: barChart('Overall ratings of signed-off PEPs', ratings),
    criteriaHeads: CRITERION_RATINGS.map((r) => CRITERION_RATING_NAMES[r]!),
    criteria,
    participation: {
      value: figures.participated,
      answered: figures.participationAnswered,
      share: shareText(figures.participated, figures.participationAnswered),
    },
    trend,
    trendChart: barChart(
      'PEPs rated good or outstanding, by term',
      trend.map((t) => ({ label: t.label, value: t.goodOrBetter })),
    ),
    keyStages,
    yearGroups,
    sen: [
      {
        label: 'SEN support',
        value: figures.sen.sen_support,
        href: listHref({ sen: 'sen_support' }),
      },
      { label: 'EHC plan', value: figures.sen.ehc_plan, href: listHref({ sen: 'ehc_plan' }) },
    ],
    schools: schoolCounts(cohort.schools, figures.bySchool, listHref),
    areas: [
      {
        label: 'At a school in the authority’s area',
        value: figures.inArea,
        href: listHref({ area: 'in' }),
      },
      {
        label: 'At a school out of the area',
        value: figures.outOfArea,
        href: listHref({ area: 'out' }),
      },
      { label: 'No school recorded', value: figures.noSchool, href: listHref({ area: 'none' }) },
    ],
    reviewGap: {
      label: REVIEW_GAP_NAME,
      value: figures.pastReviewGap,
      href: listHref({ review: 'past_gap' }),
    },
    maxMonthsBetweenReviews: cohort.settings.maxMonthsBetweenReviews,
    education: EDUCATION_FLAGS.map((flag) => ({
      label: EDUCATION_FLAG_NAMES[flag],
      value: figures.education[flag],
      href: listHref({ flag }),
    })),
    attendanceLine: cohort.settings.attendanceTargetBelowPercent,
    circumstances: CIRCUMSTANCE_KINDS.map((kind) => ({
      label: CIRCUMSTANCE_SHORT[kind],
      value: figures.circumstances[kind],
      href: listHref({ circumstance: kind }),
    })),
    placements: Object.entries(figures.byPlacement)
      .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
      .map(([placement, value]) => ({
        label: placement === '' ? 'Not recorded' : placement,
        value: value ?? 0,
        href: listHref({ placement: placement === '' ? NO_PLACEMENT : placement }),
      })),
    schoolsMissingHref: `${paths.oversight.missingData()}${queryString(base)}`,
    overdueListHref: listHref({ overdue: 'any' }),
    annualReportHref: `${paths.oversight.annualReport()}${queryString({ authority: scope.authority.id })}`,
    canRemind: input.canRemind,
  }
}
