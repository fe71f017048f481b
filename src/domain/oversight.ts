import { attendanceFigures, belowThreshold } from './attendance.ts'
import type { CalendarDate } from './calendar-date.ts'
import { addMonths } from './timescales.ts'
import {
  keyStageOf,
  yearGroupOn,
  isYearGroup,
  type KeyStage,
  type YearGroup,
} from './year-group.ts'

import { CIRCUMSTANCE_KINDS, type CircumstanceKind } from './education-circumstance.ts'
/*
 * The Virtual School's view of its cohort (domain brief section 9), as pure rules: where each
 * child's PEP for a term stands, whether it is overdue and how, and the dashboard's figures
 * counted from those facts (termFigures: the annual report's, and the reference the dashboard's
 * figures counted in SQL are held equal to, src/features/oversight/figures.test.ts). The lists'
 * filters and the dashboard's count are these rules in SQL (src/shared/cohort-filter.ts), so a
 * figure and its list always agree (ADR 11).
 */

/** Where the term's PEP stands, as the Virtual School talks about it. */
export const PEP_STAGES = [
  'no_pep',
  'in_progress',
  'with_school',
  'awaiting_bso_check',
  'awaiting_qa',
  'returned',
  'signed_off',
] as const
export type PepStage = (typeof PEP_STAGES)[number]

export function isPepStage(value: unknown): value is PepStage {
  return typeof value === 'string' && (PEP_STAGES as readonly string[]).includes(value)
}

/** The ways a child's PEP can be late. */
export const OVERDUE_KINDS = ['past_target', 'past_window', 'school_overdue'] as const
export type OverdueKind = (typeof OVERDUE_KINDS)[number]

export function isOverdueKind(value: unknown): value is OverdueKind {
  return typeof value === 'string' && (OVERDUE_KINDS as readonly string[]).includes(value)
}

/** The quality assurance ratings (Section D), best first. */
export const RATINGS = ['outstanding', 'good', 'requires_improvement', 'inadequate'] as const
export type Rating = (typeof RATINGS)[number]

export function isRating(value: unknown): value is Rating {
  return typeof value === 'string' && (RATINGS as readonly string[]).includes(value)
}

/**
 * The flags of a child's education in the term (issue 19): attendance over the term's periods,
 * as the DfE counts it (persistent absence at 10% or more of sessions missed, severe at 50%) and
 * below the authority's line; excluded (suspended or permanently) in the term; a subject behind
 * its expectation this term and the one before.
 */
export const EDUCATION_FLAGS = [
  'persistent_absence',
  'severe_absence',
  'below_line',
  'excluded',
  'not_making_progress',
] as const
export type EducationFlag = (typeof EDUCATION_FLAGS)[number]

export function isEducationFlag(value: unknown): value is EducationFlag {
  return typeof value === 'string' && (EDUCATION_FLAGS as readonly string[]).includes(value)
}

/** What the term's education data says of one child, as the cohort query reads it. */
export interface EducationFacts {
  /** Sessions of the child's current attendance periods that overlap the term (0 with none). */
  possible: number
  attended: number
  /** Suspensions and permanent exclusions starting in the term, up to its as-of day. */
  exclusions: number
  /** Subjects behind their expectation both this term and the term before. */
  subjectsBehind: number
  /** The school has given attendance for the term (a current period overlapping it). */
  attendanceGiven?: boolean
  /** Attainment has been given for the term (a current entry of the term). */
  attainmentGiven?: boolean
}

/** A school's children in the cohort and those it has not given the term's data for. */
export interface SchoolMissingData {
  schoolId: string
  children: number
  /** Children with no attendance overlapping the term, by id, in the cohort's order. */
  noAttendance: string[]
  /** Children with no attainment for the term. */
  noAttainment: string[]
}

/**
 * The schools that have not given the term's attendance or attainment for one or more of their
 * children in the cohort (issue 19), in the order the cohort's schools are first met. Children
 * with no school recorded have no school to ask, and are not counted.
 */
export function schoolsMissingData(cohort: readonly CohortFacts[]): SchoolMissingData[] {
  const bySchool = new Map<string, SchoolMissingData>()
  for (const child of cohort) {
    if (child.schoolId === null) continue
    let school = bySchool.get(child.schoolId)
    if (!school) {
      school = { schoolId: child.schoolId, children: 0, noAttendance: [], noAttainment: [] }
      bySchool.set(child.schoolId, school)
    }
    school.children += 1
    if (!child.education?.attendanceGiven) school.noAttendance.push(child.childId)
    if (!child.education?.attainmentGiven) school.noAttainment.push(child.childId)
  }
  return [...bySchool.values()].filter((s) => s.noAttendance.length + s.noAttainment.length > 0)
}

/** The child's education flags, in EDUCATION_FLAGS' order; `line` is the authority's whole %. */
export function educationFlags(facts: EducationFacts | undefined, line: number): EducationFlag[] {
  if (!facts) return []
  const flags: EducationFlag[] = []
  const sessions = {
    possible: facts.possible,
    attended: facts.attended,
    authorised: 0,
    unauthorised: 0,
  }
  const figures = attendanceFigures(sessions)
  if (figures.persistentAbsence) flags.push('persistent_absence')
  if (figures.severeAbsence) flags.push('severe_absence')
  if (belowThreshold(sessions, line)) flags.push('below_line')
  if (facts.exclusions > 0) flags.push('excluded')
  if (facts.subjectsBehind > 0) flags.push('not_making_progress')
  return flags
}

/** The facts about one child and the term's PEP, as the cohort query reads them. */
export interface CohortFacts {
  childId: string
  dateOfBirth: CalendarDate
  yearGroupOverride: string | null
  schoolId: string | null
  /** Whether the school is one of the authority's own (in its area). */
  schoolInArea: boolean | null
  senStatus: 'none' | 'sen_support' | 'ehc_plan'
  recordOwnerId: string | null
  enteredCareOn: CalendarDate
  /** The placement as recorded on the child (free text, e.g. "Foster care"), if any. */
  placement?: string | null
  /** The last PEP meeting held on or before the cohort's day, of any of the child's PEPs. */
  lastMeetingOn?: CalendarDate | null
  education?: EducationFacts
  /**
   * The education circumstances the child is in on the cohort's day (issue 17): alternative
   * provision, a part-time timetable, NEET; a period counts on its first and last days.
   */
  circumstances?: readonly CircumstanceKind[]
  pep: PepFacts | null
}

export interface PepFacts {
  id: string
  status: 'in_progress' | 'awaiting_bso_check' | 'awaiting_qa' | 'signed_off'
  targetOn: CalendarDate | null
  meetingOn: CalendarDate | null
  /** The day it was started (initiated), where the reader needs it (the initial PEP's clock). */
  startedOn?: CalendarDate | null
  /** The day it was signed off, in England. */
  signedOffOn: CalendarDate | null
  /** The due date of the school's part while it is with the school (delegated, not sent). */
  schoolDueOn: CalendarDate | null
  /** The last step back from the Virtual School was a return for improvement (or by business support). */
  returned: boolean
  /** Section D's overall rating and the young person's participation, once given. */
  overallRating: string | null
  participated: boolean | null
}

/** What a term's figures are measured against. */
export interface TermFrame {
  /** The day the figures are worked out on. */
  today: CalendarDate
  /** The Virtual School's submission deadline for the term (the PEP window). */
  windowDeadline: CalendarDate
  /** The cohort's day (the term's last day, or today while it runs); today if not given. */
  asOf?: CalendarDate
  /** The authority's longest gap between reviews, in months (reviews are not checked without it). */
  maxMonthsBetweenReviews?: number
  /** The authority's attendance line, a whole percentage (90 if not given). */
  attendanceLine?: number
}

/**
 * The day a child's next review is due by: the longest gap after their last meeting held, or
 * after entering care when none has been held. Null when the frame does not check reviews.
 */
export function reviewDueBy(
  facts: Pick<CohortFacts, 'lastMeetingOn' | 'enteredCareOn'>,
  frame: TermFrame,
): CalendarDate | null {
  if (frame.maxMonthsBetweenReviews === undefined) return null
  return addMonths(facts.lastMeetingOn ?? facts.enteredCareOn, frame.maxMonthsBetweenReviews)
}

/** Past the longest gap between reviews on the cohort's day (the day due by itself is in time). */
export function pastReviewGap(
  facts: Pick<CohortFacts, 'lastMeetingOn' | 'enteredCareOn'>,
  frame: TermFrame,
): boolean {
  const due = reviewDueBy(facts, frame)
  return due !== null && due < (frame.asOf ?? frame.today)
}

export function pepStage(pep: PepFacts | null): PepStage {
  if (!pep) return 'no_pep'
  if (pep.status !== 'in_progress') return pep.status
  if (pep.returned) return 'returned'
  if (pep.schoolDueOn) return 'with_school'
  return 'in_progress'
}

/**
 * How a child's PEP is late on `today`. A date is missed once it has passed: a PEP whose target
 * date is today is due, not overdue; tomorrow it is overdue.
 * - past_target: not signed off, and its target date has passed;
 * - past_window: the term's window has closed and there is no PEP signed off by it;
 * - school_overdue: the school's part is still with the school after its due date.
 */
export function overdueKinds(facts: Pick<CohortFacts, 'pep'>, frame: TermFrame): OverdueKind[] {
  const { pep } = facts
  const kinds: OverdueKind[] = []
  const signedOff = pep?.status === 'signed_off'
  if (pep && !signedOff && pep.targetOn !== null && pep.targetOn < frame.today)
    kinds.push('past_target')
  if (frame.windowDeadline < frame.today && !signedOffByWindow(pep, frame))
    kinds.push('past_window')
  if (pep && !signedOff && pep.schoolDueOn !== null && pep.schoolDueOn < frame.today)
    kinds.push('school_overdue')
  return kinds
}

export function signedOffByWindow(pep: PepFacts | null, frame: TermFrame): boolean {
  const on = pep?.signedOffOn ?? null
  return on !== null && on <= frame.windowDeadline
}

export interface CohortPlace {
  yearGroup: YearGroup | 'under_2' | 'beyond_13'
  keyStage: KeyStage | null
}

/** A child's year group and key stage on a date (their override wins). */
export function cohortPlace(facts: CohortFacts, on: CalendarDate): CohortPlace {
  const override = isYearGroup(facts.yearGroupOverride) ? facts.yearGroupOverride : null
  const year = yearGroupOn(facts.dateOfBirth, on, override)
  if (year.kind === 'year')
    return { yearGroup: year.yearGroup, keyStage: keyStageOf(year.yearGroup) }
  return { yearGroup: year.kind === 'too-young' ? 'under_2' : 'beyond_13', keyStage: null }
}

export type Tally<K extends string> = Partial<Record<K, number>>

function count<K extends string>(tally: Tally<K>, key: K): void {
  tally[key] = (tally[key] ?? 0) + 1
}

/** The dashboard's figures for one term, counted from each child's facts. */
export interface TermFigures {
  cohort: number
  byStage: Record<PepStage, number>
  signedOffByWindow: number
  overdue: Record<OverdueKind, number>
  /** Children with any overdue kind, each once. */
  anyOverdue: number
  ratings: Record<Rating, number>
  /** Signed-off PEPs with a rating: the denominator of the ratings' shares. */
  rated: number
  participated: number
  participationAnswered: number
  byYearGroup: Tally<CohortPlace['yearGroup']>
  byKeyStage: Tally<KeyStage>
  /** Children by their school's id (none for a child with no school recorded). */
  bySchool: Tally<string>
  sen: { sen_support: number; ehc_plan: number }
  inArea: number
  outOfArea: number
  noSchool: number
  /** Children by their placement as recorded ('' for none recorded). */
  byPlacement: Tally<string>
  /** Children past the longest gap between reviews on the cohort's day. */
  pastReviewGap: number
  /** Children with each education flag (a child may have several). */
  education: Record<EducationFlag, number>
  /** Children in each education circumstance on the cohort's day (a child may be in several). */
  circumstances: Record<CircumstanceKind, number>
}

export function termFigures(
  cohort: readonly CohortFacts[],
  frame: TermFrame,
  placeOn: CalendarDate,
): TermFigures {
  const byStage = Object.fromEntries(PEP_STAGES.map((s) => [s, 0])) as Record<PepStage, number>
  const overdue = Object.fromEntries(OVERDUE_KINDS.map((k) => [k, 0])) as Record<
    OverdueKind,
    number
  >
  const ratings = Object.fromEntries(RATINGS.map((r) => [r, 0])) as Record<Rating, number>
  const figures: TermFigures = {
    cohort: cohort.length,
    byStage,
    signedOffByWindow: 0,
    overdue,
    anyOverdue: 0,
    ratings,
    rated: 0,
    participated: 0,
    participationAnswered: 0,
    byYearGroup: {},
    byKeyStage: {},
    bySchool: {},
    sen: { sen_support: 0, ehc_plan: 0 },
    inArea: 0,
    outOfArea: 0,
    noSchool: 0,
    byPlacement: {},
    pastReviewGap: 0,
    education: Object.fromEntries(EDUCATION_FLAGS.map((f) => [f, 0])) as Record<
      EducationFlag,
      number
    >,
    circumstances: Object.fromEntries(CIRCUMSTANCE_KINDS.map((k) => [k, 0])) as Record<
      CircumstanceKind,
      number
    >,
  }
  for (const child of cohort) {
    for (const kind of child.circumstances ?? []) figures.circumstances[kind] += 1
    count(figures.byPlacement, child.placement ?? '')
    if (pastReviewGap(child, frame)) figures.pastReviewGap += 1
    for (const flag of educationFlags(child.education, frame.attendanceLine ?? 90))
      figures.education[flag] += 1
    byStage[pepStage(child.pep)] += 1
    if (signedOffByWindow(child.pep, frame)) figures.signedOffByWindow += 1
    const late = overdueKinds(child, frame)
    for (const kind of late) overdue[kind] += 1
    if (late.length > 0) figures.anyOverdue += 1
    const pep = child.pep
    if (pep?.status === 'signed_off') {
      if (isRating(pep.overallRating)) {
        ratings[pep.overallRating] += 1
        figures.rated += 1
      }
      if (pep.participated !== null) {
        figures.participationAnswered += 1
        if (pep.participated) figures.participated += 1
      }
    }
    const place = cohortPlace(child, placeOn)
    count(figures.byYearGroup, place.yearGroup)
    if (place.keyStage) count(figures.byKeyStage, place.keyStage)
    if (child.senStatus !== 'none') figures.sen[child.senStatus] += 1
    if (child.schoolId !== null) count(figures.bySchool, child.schoolId)
    if (child.schoolId === null) figures.noSchool += 1
    else if (child.schoolInArea) figures.inArea += 1
    else figures.outOfArea += 1
  }
  return figures
}

/** A whole-number percentage, rounded half up; none of nothing. */
export function percent(part: number, whole: number): number | null {
  if (whole === 0) return null
  return Math.floor((part * 100) / whole + 0.5)
}

/**
 * What the list of children behind a figure is filtered by (each optional). Which children match
 * is decided once, in SQL, by src/shared/cohort-filter.ts, by the rules above.
 */
export interface CohortFilter {
  stage?: PepStage
  overdue?: OverdueKind | 'any'
  schoolId?: string
  yearGroup?: CohortPlace['yearGroup']
  keyStage?: KeyStage
  socialWorkerId?: string
  sen?: 'sen_support' | 'ehc_plan' | 'any'
  area?: 'in' | 'out' | 'none'
  rating?: Rating
  /** Past the longest gap between reviews. */
  review?: 'past_gap'
  flag?: EducationFlag
  /** In an education circumstance on the cohort's day (issue 17). */
  circumstance?: CircumstanceKind
  /** The placement as recorded; '' for none recorded. */
  placement?: string
}

export type InitialPepState = 'met' | 'due' | 'late'

/**
 * A child who entered care needs their initial PEP meeting held by `meetingBy` (the statutory
 * timescale in working days, domain/timescales.ts). Met once a meeting on or before it has been
 * held; late once that day has passed without one (a meeting held later is still late); due
 * until then.
 */
export function initialPepState(
  pep: PepFacts | null,
  meetingBy: CalendarDate,
  today: CalendarDate,
): InitialPepState {
  const meetingOn = pep?.meetingOn ?? null
  const heldOn = meetingOn !== null && meetingOn <= today ? meetingOn : null
  if (heldOn !== null && heldOn <= meetingBy) return 'met'
  return meetingBy < today ? 'late' : 'due'
}

/**
 * Whether the initial PEP was initiated by its deadline: started in time or late, or not yet
 * started and due (the deadline is today or later) or late (passed).
 */
export function initiatedState(
  startedOn: CalendarDate | null,
  initiateBy: CalendarDate,
  today: CalendarDate,
): 'met' | 'missed' | 'due' | 'late' {
  if (startedOn !== null) return startedOn <= initiateBy ? 'met' : 'missed'
  return initiateBy < today ? 'late' : 'due'
}

/* The words of a PEP's stage, the kinds of overdue and the quality ratings: shared by the
 * oversight pages and the children list. */

export const STAGE_NAMES: Record<PepStage, string> = {
  no_pep: 'No PEP yet',
  in_progress: 'In progress',
  with_school: 'With the school',
  awaiting_bso_check: 'Waiting for business support',
  awaiting_qa: 'Waiting for quality assurance',
  returned: 'Returned for improvement',
  signed_off: 'Signed off',
}

export const OVERDUE_NAMES: Record<OverdueKind | 'any', string> = {
  past_target: 'Past the target date',
  past_window: 'Not signed off by the term’s window',
  school_overdue: 'School’s part overdue',
  any: 'Overdue in any way',
}

export const RATING_NAMES: Record<Rating, string> = {
  outstanding: 'Outstanding',
  good: 'Good',
  requires_improvement: 'Requires improvement',
  inadequate: 'Inadequate',
}
