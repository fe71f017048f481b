import { isCalendarDate, type CalendarDate } from './calendar-date.ts'

/*
 * Suspensions and permanent exclusions (issue 19; DfE, "Suspension and permanent exclusion").
 * A suspension is at most 45 school days in a school year (90 sessions); from the sixth school
 * day of a suspension or a permanent exclusion the child must have suitable full-time education,
 * so the provision from the sixth day is required past ten sessions, and always for a permanent
 * exclusion. Pure: no database, no clock.
 */

export const EXCLUSION_KINDS = ['suspension', 'permanent'] as const
export type ExclusionKind = (typeof EXCLUSION_KINDS)[number]

/** The reasons the DfE's school census records, in its words. */
export const EXCLUSION_REASONS = {
  'physical-assault-pupil': 'Physical assault against a pupil',
  'physical-assault-adult': 'Physical assault against an adult',
  'verbal-abuse-pupil': 'Verbal abuse or threatening behaviour against a pupil',
  'verbal-abuse-adult': 'Verbal abuse or threatening behaviour against an adult',
  'offensive-weapon': 'Use or threat of use of an offensive weapon or prohibited item',
  bullying: 'Bullying',
  'racist-abuse': 'Racist abuse',
  'abuse-sexual-orientation-gender': 'Abuse against sexual orientation or gender identity',
  'abuse-disability': 'Abuse relating to disability',
  'sexual-misconduct': 'Sexual misconduct',
  'drug-alcohol': 'Drug and alcohol related',
  damage: 'Damage',
  theft: 'Theft',
  'persistent-disruption': 'Persistent disruptive behaviour',
  'online-misuse': 'Inappropriate use of social media or online technology',
  'public-health':
    'Wilful and repeated transgression of protective measures to protect public health',
  other: 'Other',
} as const
export type ExclusionReason = keyof typeof EXCLUSION_REASONS

export const isExclusionReason = (value: unknown): value is ExclusionReason =>
  typeof value === 'string' && Object.hasOwn(EXCLUSION_REASONS, value)

/** Sessions in the longest suspensions allowed in a school year: 45 school days. */
export const MAX_SUSPENSION_SESSIONS = 90
/** Past this many sessions (five school days) the provision from the sixth day is needed. */
export const SESSIONS_BEFORE_PROVISION = 10

export interface Exclusion {
  kind: ExclusionKind
  startsOn: CalendarDate
  endsOn: CalendarDate | null
  sessionsMissed: number | null
  reason: ExclusionReason
  provision: string
}

export interface TypedExclusion {
  kind: string
  startsOn: string
  endsOn: string
  sessionsMissed: string
  reason: string
  provision: string
}

export type ExclusionField = keyof TypedExclusion

export type ExclusionCode =
  | 'exclusion.kind-missing'
  | 'exclusion.date-missing'
  | 'exclusion.date-invalid'
  | 'exclusion.starts-in-future'
  | 'exclusion.ends-before-start'
  | 'exclusion.sessions-missing'
  | 'exclusion.sessions-not-whole'
  | 'exclusion.sessions-too-many'
  | 'exclusion.reason-missing'
  | 'exclusion.provision-missing'
  | 'exclusion.provision-too-long'

export interface ExclusionProblem {
  field: ExclusionField
  code: ExclusionCode
  params?: Readonly<Record<string, string | number>>
}

export const PROVISION_MAX_LENGTH = 2000

/**
 * Checks an exclusion as given. A suspension needs its last day and the sessions missed (at
 * most 90); a permanent exclusion has no last day, and its sessions are optional. The first
 * day is today or earlier (it is recorded once it has happened). The provision from the sixth
 * day is required for a permanent exclusion and for a suspension of more than ten sessions.
 */
export function checkExclusion(
  typed: TypedExclusion,
  today: CalendarDate,
  status: ExclusionStatus = 'in-force',
): { ok: true; value: Exclusion } | { ok: false; problems: ExclusionProblem[] } {
  const problems: ExclusionProblem[] = []
  const kind = (EXCLUSION_KINDS as readonly string[]).includes(typed.kind)
    ? (typed.kind as ExclusionKind)
    : undefined
  if (!kind) problems.push({ field: 'kind', code: 'exclusion.kind-missing' })
  if (typed.startsOn === '') problems.push({ field: 'startsOn', code: 'exclusion.date-missing' })
  else if (!isCalendarDate(typed.startsOn))
    problems.push({ field: 'startsOn', code: 'exclusion.date-invalid' })
  else if (typed.startsOn > today)
    problems.push({ field: 'startsOn', code: 'exclusion.starts-in-future' })
  const suspension = kind === 'suspension'
  let endsOn: string | null = null
  if (typed.endsOn === '') {
    if (suspension) problems.push({ field: 'endsOn', code: 'exclusion.date-missing' })
  } else if (!isCalendarDate(typed.endsOn))
    problems.push({ field: 'endsOn', code: 'exclusion.date-invalid' })
  else if (isCalendarDate(typed.startsOn) && typed.endsOn < typed.startsOn)
    problems.push({ field: 'endsOn', code: 'exclusion.ends-before-start' })
  else endsOn = kind === 'permanent' ? null : typed.endsOn
  let sessions: number | null = null
  const text = typed.sessionsMissed.trim()
  if (text === '') {
    if (suspension) problems.push({ field: 'sessionsMissed', code: 'exclusion.sessions-missing' })
  } else if (!/^\d+$/.test(text))
    problems.push({ field: 'sessionsMissed', code: 'exclusion.sessions-not-whole' })
  else if (suspension && Number(text) > MAX_SUSPENSION_SESSIONS)
    problems.push({
      field: 'sessionsMissed',
      code: 'exclusion.sessions-too-many',
      params: { max: MAX_SUSPENSION_SESSIONS },
    })
  else sessions = Math.min(Number(text), 10_000)
  if (typed.reason === '' || !isExclusionReason(typed.reason))
    problems.push({ field: 'reason', code: 'exclusion.reason-missing' })
  const provision = typed.provision.trim()
  // Withdrawn or recorded in error, no provision is needed from the sixth day.
  const needsProvision =
    status === 'in-force' &&
    (kind === 'permanent' || (sessions !== null && sessions > SESSIONS_BEFORE_PROVISION))
  if (provision.length > PROVISION_MAX_LENGTH)
    problems.push({
      field: 'provision',
      code: 'exclusion.provision-too-long',
      params: { max: PROVISION_MAX_LENGTH },
    })
  else if (needsProvision && provision === '')
    problems.push({ field: 'provision', code: 'exclusion.provision-missing' })
  if (problems.length > 0 || !kind) return { ok: false, problems }
  return {
    ok: true,
    value: {
      kind,
      startsOn: typed.startsOn,
      endsOn,
      sessionsMissed: sessions,
      reason: typed.reason as ExclusionReason,
      provision,
    },
  }
}

/**
 * Whether an exclusion stands. Withdrawn (the headteacher withdrew a suspension, or the governors
 * reinstated the pupil) and recorded in error both mean the Virtual School need do nothing.
 */
export const EXCLUSION_STATUSES = ['in-force', 'withdrawn', 'in-error'] as const
export type ExclusionStatus = (typeof EXCLUSION_STATUSES)[number]

export const isExclusionStatus = (value: unknown): value is ExclusionStatus =>
  typeof value === 'string' && (EXCLUSION_STATUSES as readonly string[]).includes(value)

/**
 * What a correction does to the Virtual School's task about the exclusion:
 * - `close`: it no longer stands (withdrawn or recorded in error), so there is nothing to do;
 * - `raise`: it is news again (put back in force, or a suspension that became a permanent
 *   exclusion), so a new task, and the old one, if still open, is done;
 * - `keep`: any other correction (dates, sessions, reason, provision) leaves the task as it is.
 */
export function exclusionTaskChange(
  before: { kind: ExclusionKind; status: ExclusionStatus },
  after: { kind: ExclusionKind; status: ExclusionStatus },
): 'close' | 'raise' | 'keep' {
  if (after.status !== 'in-force') return 'close'
  if (before.status !== 'in-force') return 'raise'
  if (before.kind === 'suspension' && after.kind === 'permanent') return 'raise'
  return 'keep'
}
