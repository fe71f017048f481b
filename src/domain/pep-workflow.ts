import { createHash } from 'node:crypto'
import type { CalendarDate } from './calendar-date.ts'
import type { Role } from './roles.ts'
import type { Refusal } from '../shared/result.ts'

/*
 * The life of a PEP (section 5 of the domain brief) as an explicit state machine: the states,
 * each transition with the roles that may make it, and the checks it needs. Pure: the caller
 * gathers the facts, this says yes or no and why.
 */

export const PEP_STATES = [
  'in_progress',
  'awaiting_bso_check',
  'awaiting_qa',
  'signed_off',
] as const
export type PepState = (typeof PEP_STATES)[number]

export const PEP_STATE_NAMES: Record<PepState, string> = {
  in_progress: 'In progress',
  awaiting_bso_check: 'Waiting for a business support check',
  awaiting_qa: 'Waiting for quality assurance',
  signed_off: 'Signed off',
}

/** Where the school's part stands. */
export type DelegationState = 'none' | 'delegated' | 'submitted'

export type Transition =
  | 'delegate'
  | 'retract'
  | 'pass-on'
  | 'submit-contribution'
  | 'return-contribution'
  | 'confirm-meeting'
  | 'reschedule-meeting'
  | 'submit-to-vs'
  | 'bso-pass'
  | 'bso-return'
  | 'qa-return'
  | 'sign-off'

const SOCIAL_WORKERS = ['social_worker', 'personal_advisor'] as const satisfies readonly Role[]
const SCHOOL = ['designated_teacher', 'designated_person'] as const satisfies readonly Role[]
const VS_QA = ['vs_consultant', 'vs_head'] as const satisfies readonly Role[]

interface TransitionRule {
  /** The PEP states it may start from. */
  from: readonly PepState[]
  /** The state it leads to; undefined keeps the state. */
  to?: PepState
  roles: readonly Role[]
  describe: string
}

export const TRANSITIONS: Record<Transition, TransitionRule> = {
  delegate: {
    from: ['in_progress'],
    roles: [...SOCIAL_WORKERS, 'business_support', 'vs_consultant', 'vs_head'],
    describe: "Delegate the school's sections to the designated teacher",
  },
  retract: {
    from: ['in_progress'],
    roles: [...SOCIAL_WORKERS, 'business_support', 'vs_consultant', 'vs_head'],
    describe: 'Retract the delegation',
  },
  'pass-on': {
    from: ['in_progress'],
    roles: SCHOOL,
    describe: 'Pass pages on to colleagues',
  },
  'submit-contribution': {
    from: ['in_progress'],
    roles: SCHOOL,
    describe: "Send the school's contribution to the social worker",
  },
  'return-contribution': {
    from: ['in_progress'],
    roles: SOCIAL_WORKERS,
    describe: "Return the school's contribution with comments",
  },
  'confirm-meeting': {
    from: ['in_progress', 'awaiting_bso_check', 'awaiting_qa'],
    roles: [...SOCIAL_WORKERS, ...SCHOOL],
    describe: 'Confirm the meeting took place',
  },
  'reschedule-meeting': {
    from: ['in_progress'],
    roles: [...SOCIAL_WORKERS, ...SCHOOL, 'business_support'],
    describe: 'Reschedule the meeting',
  },
  'submit-to-vs': {
    from: ['in_progress'],
    roles: SOCIAL_WORKERS,
    describe: 'Check and submit the PEP to the Virtual School',
  },
  'bso-pass': {
    from: ['awaiting_bso_check'],
    to: 'awaiting_qa',
    roles: ['business_support'],
    describe: 'Pass the business support check',
  },
  'bso-return': {
    from: ['awaiting_bso_check'],
    to: 'in_progress',
    roles: ['business_support'],
    describe: 'Return the PEP to the social worker',
  },
  'qa-return': {
    from: ['awaiting_qa'],
    to: 'in_progress',
    roles: VS_QA,
    describe: 'Return the PEP for improvement',
  },
  'sign-off': {
    from: ['awaiting_qa'],
    to: 'signed_off',
    roles: VS_QA,
    describe: 'Sign off the PEP',
  },
}

/** Everything a transition's checks look at, gathered by the caller. */
export interface PepFacts {
  state: PepState
  delegation: DelegationState
  /** Whether the acting user is the one the school's part is delegated to. */
  actorIsDelegate: boolean
  /** Sections marked complete. */
  completeSections: readonly string[]
  /** Sections the form has (C is absent in Early Years). */
  sections: readonly string[]
  /** The school's sections (B, and C where the form has it). */
  schoolSections: readonly string[]
  hasNextMeeting: boolean
  meetingConfirmed: boolean
  /** The authority's settings. */
  bsoCheck: boolean
  /** Whether this PEP needs quality assurance (always, unless the authority samples). */
  qaRequired: boolean
  /** Whether Section D (the QA page) is complete. */
  qaComplete: boolean
  /** The school the child attends has a designated teacher with access. */
  schoolHasDesignatedTeacher: boolean
  /** The PEP meeting's date, if set. */
  meetingOn: CalendarDate | null
  today: CalendarDate
  /** The quality assurance's overall rating, if given (Section D). */
  overallRating: string | null
  /** The ratings only a Virtual School head may sign off (the authority's setting). */
  headSignsOff: readonly string[]
}

/** The overall ratings, lowest last: an authority chooses where a head's sign-off begins. */
export const HEAD_SIGN_OFF_FROM = ['inadequate', 'requires_improvement'] as const
export type HeadSignOffFrom = (typeof HEAD_SIGN_OFF_FROM)[number]

/** The ratings a head must sign off: Inadequate, and Requires improvement too if chosen. */
export function ratingsNeedingHead(from: HeadSignOffFrom): readonly string[] {
  return from === 'inadequate' ? ['inadequate'] : ['inadequate', 'requires_improvement']
}

/**
 * Whether signing off now needs a Virtual School head's recorded reason: the PEP is rated
 * at or below the authority's line. The head's reason goes in the sign-off's comments.
 */
export function signOffNeedsReason(facts: PepFacts): boolean {
  return facts.overallRating !== null && facts.headSignsOff.includes(facts.overallRating)
}

/**
 * Why the state machine refuses a step, as a code (ADR 7); the words are in
 * `forms/pep-workflow-messages.ts`. `pep.wrong-state` has the `state`; `pep.still-needed` the
 * first `need` (a `Need`'s kind) and, for sections, their ids joined by commas;
 * `pep.head-signs-off` the `rating`.
 */
export type DecisionCode =
  | 'pep.role-cannot'
  | 'pep.wrong-state'
  | 'pep.already-delegated'
  | 'pep.no-school-staff'
  | 'pep.no-delegation'
  | 'pep.not-delegated-to-you'
  | 'pep.contribution-not-sent'
  | 'pep.meeting-confirmed'
  | 'pep.meeting-date-needed'
  | 'pep.meeting-not-yet'
  | 'pep.meeting-taken-place'
  | 'pep.still-needed'
  | 'pep.head-signs-off'

export type Decision =
  { allowed: true; to: PepState } | { allowed: false; refusal: Refusal<DecisionCode> }

const refuse = (code: DecisionCode, params?: Refusal['params']): Decision => ({
  allowed: false,
  refusal: params === undefined ? { code } : { code, params },
})

/** The refusal for the first thing a step still waits for. */
const needed = (need: Need): Decision =>
  refuse(
    'pep.still-needed',
    need.kind === 'complete-sections'
      ? { need: need.kind, sections: need.sections.join(',') }
      : { need: need.kind },
  )

/** Whether `role` may make `transition` now, and the state it leads to. */
export function decide(transition: Transition, role: Role | null, facts: PepFacts): Decision {
  const rule = TRANSITIONS[transition]
  if (!role || !rule.roles.includes(role)) return refuse('pep.role-cannot')
  if (!rule.from.includes(facts.state)) return refuse('pep.wrong-state', { state: facts.state })
  const to = rule.to ?? facts.state
  const ok: Decision = { allowed: true, to }
  switch (transition) {
    case 'delegate':
      if (facts.delegation !== 'none') return refuse('pep.already-delegated')
      if (!facts.schoolHasDesignatedTeacher) return refuse('pep.no-school-staff')
      return ok
    case 'retract':
      return facts.delegation === 'delegated' ? ok : refuse('pep.no-delegation')
    case 'pass-on':
      return facts.delegation === 'delegated' && facts.actorIsDelegate
        ? ok
        : refuse('pep.not-delegated-to-you')
    case 'submit-contribution': {
      if (facts.delegation !== 'delegated' || !facts.actorIsDelegate)
        return refuse('pep.not-delegated-to-you')
      const [first] = stillNeeded(transition, facts)
      return first ? needed(first) : ok
    }
    case 'return-contribution':
      return facts.delegation === 'submitted' ? ok : refuse('pep.contribution-not-sent')
    case 'confirm-meeting':
      if (facts.meetingConfirmed) return refuse('pep.meeting-confirmed')
      if (!facts.meetingOn) return refuse('pep.meeting-date-needed')
      if (facts.meetingOn > facts.today) return refuse('pep.meeting-not-yet')
      return ok
    case 'reschedule-meeting':
      return facts.meetingConfirmed ? refuse('pep.meeting-taken-place') : ok
    case 'submit-to-vs': {
      const [first] = stillNeeded(transition, facts)
      if (first) return needed(first)
      return { allowed: true, to: facts.bsoCheck ? 'awaiting_bso_check' : 'awaiting_qa' }
    }
    case 'sign-off': {
      const [first] = stillNeeded(transition, facts)
      if (first) return needed(first)
      if (signOffNeedsReason(facts) && role !== 'vs_head')
        return refuse('pep.head-signs-off', { rating: facts.overallRating! })
      return ok
    }
    default:
      return ok
  }
}

/** One thing a step still waits for: what the page lists, each linked to where it is done. */
export type Need =
  | { kind: 'complete-sections'; sections: readonly string[] }
  | { kind: 'school-contribution' }
  | { kind: 'next-meeting' }
  | { kind: 'confirm-meeting' }
  | { kind: 'quality-assurance' }

/**
 * Everything a step still waits for, in the order it is best done: empty when the step's own
 * checks pass (role and state aside). The one list both the refusal and the PEP's contents
 * page read, so what the page says is missing is what the step checks.
 */
export function stillNeeded(transition: Transition, facts: PepFacts): Need[] {
  const needs: Need[] = []
  const open = (sections: readonly string[]) =>
    sections.filter((s) => !facts.completeSections.includes(s))
  switch (transition) {
    case 'submit-contribution': {
      const sections = open(facts.schoolSections)
      if (sections.length > 0) needs.push({ kind: 'complete-sections', sections })
      break
    }
    case 'submit-to-vs': {
      const sections = open(facts.sections.filter((s) => s !== 'D'))
      if (sections.length > 0) needs.push({ kind: 'complete-sections', sections })
      if (facts.delegation === 'delegated') needs.push({ kind: 'school-contribution' })
      if (!facts.hasNextMeeting) needs.push({ kind: 'next-meeting' })
      if (!facts.meetingConfirmed) needs.push({ kind: 'confirm-meeting' })
      break
    }
    case 'sign-off':
      if (!facts.meetingConfirmed) needs.push({ kind: 'confirm-meeting' })
      if (facts.qaRequired && !facts.qaComplete) needs.push({ kind: 'quality-assurance' })
      break
    default:
      break
  }
  return needs
}

/**
 * The steps this role could take in this state but whose checks do not pass yet, with what
 * each still needs: shown beside the steps that can be taken, so nothing is hidden.
 */
export function stepsWaiting(
  role: Role | null,
  facts: PepFacts,
): { transition: Transition; needs: Need[] }[] {
  return (Object.keys(TRANSITIONS) as Transition[]).flatMap((transition) => {
    const rule = TRANSITIONS[transition]
    if (!role || !rule.roles.includes(role) || !rule.from.includes(facts.state)) return []
    if (
      transition === 'submit-contribution' &&
      !(facts.delegation === 'delegated' && facts.actorIsDelegate)
    )
      return []
    const needs = stillNeeded(transition, facts)
    return needs.length > 0 ? [{ transition, needs }] : []
  })
}

/** Every transition `role` may make now: for the buttons a page offers. */
export function availableTransitions(role: Role | null, facts: PepFacts): Transition[] {
  return (Object.keys(TRANSITIONS) as Transition[]).filter((t) => decide(t, role, facts).allowed)
}

/**
 * Whether a section's pages can be changed in this state: Sections A to C while the PEP is in
 * progress, Section D (quality assurance) while it waits for it; nothing once signed off.
 */
export function sectionOpen(state: PepState, sectionId: string): boolean {
  return sectionId === 'D' ? state === 'awaiting_qa' : state === 'in_progress'
}

/**
 * Whether a PEP is in the authority's quality-assurance sample (`percent` of PEPs): decided by
 * a hash of its id, so the answer never changes for a PEP and cannot be chosen by anyone.
 */
export function inQaSample(pepId: string, percent: number): boolean {
  if (!(percent < 100)) return true
  if (percent <= 0) return false
  const bucket = createHash('sha256').update(pepId).digest().readUInt16BE(0) % 100
  return bucket < percent
}

/**
 * A delegation of the school's part, as its holder's rights rest on it (issue 15): the sections
 * it covers and, when only some pages were chosen, those pages.
 */
export interface HeldDelegation {
  status: 'delegated' | 'submitted' | 'retracted' | 'done'
  delegatedTo: string
  sections: readonly string[]
  /** The pages chosen; null when every page of its sections went. */
  pages: readonly string[] | null
  /** The live parts its holder passed to colleagues (issue 15): each page with one of them. */
  parts?: readonly { delegatedTo: string; pages: readonly string[] }[]
}

/** Whose a page of the delegation is now: the colleague it was passed to, else the holder's. */
export function pageHolder(
  delegation: HeldDelegation | undefined,
  sectionId: string,
  pageId: string,
): string | undefined {
  if (delegation?.status !== 'delegated' || !delegation.sections.includes(sectionId)) return
  if (delegation.pages !== null && !delegation.pages.includes(pageId)) return
  const part = delegation.parts?.find((p) => p.pages.includes(pageId))
  return part ? part.delegatedTo : delegation.delegatedTo
}

/**
 * The person may change this page of the school's part: it is delegated to them, and open. A page
 * the holder passed to a colleague is the colleague's alone while their part lasts.
 */
export function holdsPage(
  delegation: HeldDelegation | undefined,
  userId: string,
  sectionId: string,
  pageId: string,
): boolean {
  return pageHolder(delegation, sectionId, pageId) === userId
}

/** The person holds the school's part or a colleague's part of it (issue 15). */
export function holdsAnyPart(delegation: HeldDelegation | undefined, userId: string): boolean {
  return (
    delegation?.status === 'delegated' &&
    (delegation.delegatedTo === userId ||
      (delegation.parts ?? []).some((p) => p.delegatedTo === userId))
  )
}

/**
 * The person may mark this section complete: they hold every page of it that applies (marking it
 * complete locks pages, so nobody locks a page that was not theirs to write).
 */
export function holdsSection(
  delegation: HeldDelegation | undefined,
  userId: string,
  sectionId: string,
  applicablePageIds: readonly string[],
): boolean {
  return (
    holdsPage(delegation, userId, sectionId, applicablePageIds[0] ?? '') &&
    applicablePageIds.every((pageId) => holdsPage(delegation, userId, sectionId, pageId))
  )
}
