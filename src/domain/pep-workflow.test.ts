import { describe, expect, it } from 'vitest'
import { ROLES, type Role } from './roles.ts'
import {
  availableTransitions,
  decide as decideCode,
  inQaSample,
  PEP_STATES,
  ratingsNeedingHead,
  sectionOpen,
  signOffNeedsReason,
  stepsWaiting,
  TRANSITIONS,
  type PepFacts,
  type PepState,
  type Transition,
} from './pep-workflow.ts'
import { transitionRefusalText } from '../forms/pep-workflow-messages.ts'

/** The state machine's decision as the step's page says it: a refusal's code in its words. */
const decide = (...args: Parameters<typeof decideCode>) => {
  const decision = decideCode(...args)
  return decision.allowed
    ? decision
    : { allowed: false as const, reason: transitionRefusalText(decision.refusal) }
}

/** A PEP ready for whatever the test asks, unless the test says otherwise. */
const facts = (overrides: Partial<PepFacts> = {}): PepFacts => ({
  state: 'in_progress',
  delegation: 'none',
  actorIsDelegate: false,
  completeSections: ['A', 'B', 'C'],
  sections: ['A', 'B', 'C', 'D'],
  schoolSections: ['B', 'C'],
  hasNextMeeting: true,
  meetingConfirmed: true,
  bsoCheck: false,
  qaRequired: true,
  qaComplete: true,
  schoolHasDesignatedTeacher: true,
  meetingOn: '2026-11-20',
  today: '2026-11-30',
  overallRating: 'good',
  headSignsOff: ratingsNeedingHead('inadequate'),
  ...overrides,
})

/** The facts under which each transition's own checks pass, so the tests isolate role and state. */
const READY: Record<Transition, Partial<PepFacts>> = {
  delegate: { completeSections: [] },
  retract: { delegation: 'delegated' },
  'pass-on': { delegation: 'delegated', actorIsDelegate: true },
  'submit-contribution': { delegation: 'delegated', actorIsDelegate: true },
  'return-contribution': { delegation: 'submitted' },
  'confirm-meeting': { meetingConfirmed: false },
  'reschedule-meeting': { meetingConfirmed: false },
  'submit-to-vs': {},
  'bso-pass': {},
  'bso-return': {},
  'qa-return': {},
  'sign-off': {},
}

describe('every transition, every role, every state', () => {
  for (const transition of Object.keys(TRANSITIONS) as Transition[]) {
    const rule = TRANSITIONS[transition]
    it(`${transition}: allowed only to ${rule.roles.join(', ')} from ${rule.from.join(', ')}`, () => {
      for (const state of PEP_STATES) {
        for (const role of ROLES) {
          const decision = decide(transition, role, facts({ ...READY[transition], state }))
          const expected = rule.roles.includes(role) && rule.from.includes(state)
          expect(decision.allowed, `${role} in ${state}`).toBe(expected)
          if (!decision.allowed)
            expect(decision.reason).toMatch(
              rule.roles.includes(role) ? /cannot be done while the PEP is/ : /Your role/,
            )
        }
      }
      expect(decide(transition, null, facts(READY[transition])).allowed).toBe(false)
    })
  }
})

const allowed = (transition: Transition, role: Role, f: Partial<PepFacts>) =>
  decide(transition, role, facts(f))

describe('the checks each transition needs', () => {
  it('delegates once, and only to a school with staff in OpenPEP', () => {
    expect(allowed('delegate', 'social_worker', {})).toEqual({ allowed: true, to: 'in_progress' })
    expect(allowed('delegate', 'social_worker', { delegation: 'delegated' })).toMatchObject({
      allowed: false,
      reason: "The school's sections are already delegated",
    })
    expect(allowed('delegate', 'social_worker', { delegation: 'submitted' }).allowed).toBe(false)
    expect(
      allowed('delegate', 'social_worker', { schoolHasDesignatedTeacher: false }),
    ).toMatchObject({ allowed: false, reason: expect.stringContaining('no staff in OpenPEP') })
  })

  it('retracts only a live delegation', () => {
    expect(allowed('retract', 'social_worker', { delegation: 'delegated' }).allowed).toBe(true)
    expect(allowed('retract', 'social_worker', { delegation: 'none' }).allowed).toBe(false)
    expect(allowed('retract', 'social_worker', { delegation: 'submitted' }).allowed).toBe(false)
  })

  it("lets only the delegate send the school's part, once B and C are complete", () => {
    const ready = { delegation: 'delegated', actorIsDelegate: true } as const
    expect(allowed('submit-contribution', 'designated_teacher', ready).allowed).toBe(true)
    expect(
      allowed('submit-contribution', 'designated_teacher', { ...ready, actorIsDelegate: false })
        .allowed,
    ).toBe(false)
    expect(
      allowed('submit-contribution', 'designated_teacher', { ...ready, completeSections: ['A'] }),
    ).toEqual({ allowed: false, reason: 'Mark Section B and Section C complete first' })
    // Early Years has no Section C.
    expect(
      allowed('submit-contribution', 'designated_teacher', {
        ...ready,
        completeSections: ['B'],
        schoolSections: ['B'],
      }).allowed,
    ).toBe(true)
  })

  it("returns the school's part only after it was sent", () => {
    expect(
      allowed('return-contribution', 'social_worker', { delegation: 'submitted' }).allowed,
    ).toBe(true)
    expect(
      allowed('return-contribution', 'social_worker', { delegation: 'delegated' }).allowed,
    ).toBe(false)
  })

  it('confirms a meeting once, and reschedules only one that has not happened', () => {
    expect(
      allowed('confirm-meeting', 'designated_teacher', { meetingConfirmed: true }).allowed,
    ).toBe(false)
    expect(allowed('reschedule-meeting', 'social_worker', { meetingConfirmed: true }).allowed).toBe(
      false,
    )
    expect(
      allowed('reschedule-meeting', 'social_worker', { meetingConfirmed: false }).allowed,
    ).toBe(true)
  })

  it('submits to the Virtual School only when A to C are complete, the meeting held and the next set', () => {
    expect(allowed('submit-to-vs', 'social_worker', {})).toEqual({
      allowed: true,
      to: 'awaiting_qa',
    })
    expect(allowed('submit-to-vs', 'social_worker', { bsoCheck: true })).toEqual({
      allowed: true,
      to: 'awaiting_bso_check',
    })
    expect(allowed('submit-to-vs', 'social_worker', { completeSections: ['A', 'C'] })).toEqual({
      allowed: false,
      reason: 'Mark Section B complete first',
    })
    expect(
      allowed('submit-to-vs', 'social_worker', {
        completeSections: ['A', 'B', 'C'],
        sections: ['A', 'B', 'D'],
      }).allowed,
    ).toBe(true)
    expect(allowed('submit-to-vs', 'social_worker', { delegation: 'delegated' }).allowed).toBe(
      false,
    )
    expect(allowed('submit-to-vs', 'social_worker', { hasNextMeeting: false })).toEqual({
      allowed: false,
      reason: 'Set the next meeting date and time first',
    })
    expect(allowed('submit-to-vs', 'social_worker', { meetingConfirmed: false })).toEqual({
      allowed: false,
      reason: 'Confirm that the meeting took place first',
    })
  })

  it('signs off only after quality assurance, unless the PEP was not sampled', () => {
    const waiting = { state: 'awaiting_qa' } as const
    expect(allowed('sign-off', 'vs_consultant', { ...waiting, qaComplete: false }).allowed).toBe(
      false,
    )
    expect(
      allowed('sign-off', 'vs_consultant', { ...waiting, qaComplete: false, qaRequired: false }),
    ).toEqual({ allowed: true, to: 'signed_off' })
    expect(allowed('qa-return', 'vs_head', waiting)).toEqual({ allowed: true, to: 'in_progress' })
  })

  it('confirms a meeting only once it has a date on or before today', () => {
    const unconfirmed = { meetingConfirmed: false }
    expect(
      allowed('confirm-meeting', 'social_worker', { ...unconfirmed, meetingOn: null }),
    ).toEqual({ allowed: false, reason: 'Set the meeting date first' })
    expect(
      allowed('confirm-meeting', 'social_worker', { ...unconfirmed, meetingOn: '2026-12-01' })
        .allowed,
    ).toBe(false)
    expect(
      allowed('confirm-meeting', 'social_worker', { ...unconfirmed, meetingOn: '2026-11-30' })
        .allowed,
    ).toBe(true)
    expect(
      allowed('confirm-meeting', 'designated_teacher', { ...unconfirmed, meetingOn: '2026-11-29' })
        .allowed,
    ).toBe(true)
  })

  it('signs off only a PEP whose meeting is confirmed', () => {
    expect(
      allowed('sign-off', 'vs_head', { state: 'awaiting_qa', meetingConfirmed: false }),
    ).toEqual({ allowed: false, reason: 'Confirm that the meeting took place first' })
  })

  it('leaves a PEP rated at or below the authority’s line to a Virtual School head', () => {
    const waiting = { state: 'awaiting_qa' } as const
    const rated = (overallRating: string | null, from: 'inadequate' | 'requires_improvement') => ({
      ...waiting,
      overallRating,
      headSignsOff: ratingsNeedingHead(from),
    })
    const inadequate = rated('inadequate', 'inadequate')
    expect(allowed('sign-off', 'vs_consultant', inadequate)).toEqual({
      allowed: false,
      reason:
        'This PEP is rated Inadequate: return it for improvement, or ask a Virtual School head to sign it off with a reason',
    })
    expect(allowed('sign-off', 'vs_head', inadequate).allowed).toBe(true)
    expect(signOffNeedsReason(facts(inadequate))).toBe(true)
    expect(allowed('qa-return', 'vs_consultant', inadequate).allowed).toBe(true)
    // Requires improvement: the consultant signs off unless the authority draws the line there.
    expect(
      allowed('sign-off', 'vs_consultant', rated('requires_improvement', 'inadequate')).allowed,
    ).toBe(true)
    expect(signOffNeedsReason(facts(rated('requires_improvement', 'inadequate')))).toBe(false)
    expect(
      allowed('sign-off', 'vs_consultant', rated('requires_improvement', 'requires_improvement'))
        .allowed,
    ).toBe(false)
    expect(
      allowed('sign-off', 'vs_consultant', rated('good', 'requires_improvement')).allowed,
    ).toBe(true)
    // Not sampled for QA, so never rated: nothing to escalate.
    expect(signOffNeedsReason(facts(rated(null, 'requires_improvement')))).toBe(false)
  })

  it('routes through business support when the authority checks first', () => {
    const checking = { state: 'awaiting_bso_check' } as const
    expect(allowed('bso-pass', 'business_support', checking)).toEqual({
      allowed: true,
      to: 'awaiting_qa',
    })
    expect(allowed('bso-return', 'business_support', checking)).toEqual({
      allowed: true,
      to: 'in_progress',
    })
  })

  it('leaves nothing to do once signed off', () => {
    for (const role of ROLES)
      expect(availableTransitions(role, facts({ state: 'signed_off' }))).toEqual([])
  })
})

describe('the steps still waiting, and what for', () => {
  it('lists every need of a step the role could take, in the order they are best done', () => {
    const f = facts({
      completeSections: ['A'],
      delegation: 'delegated',
      hasNextMeeting: false,
      meetingConfirmed: false,
    })
    expect(stepsWaiting('social_worker', f)).toEqual([
      {
        transition: 'submit-to-vs',
        needs: [
          { kind: 'complete-sections', sections: ['B', 'C'] },
          { kind: 'school-contribution' },
          { kind: 'next-meeting' },
          { kind: 'confirm-meeting' },
        ],
      },
    ])
    // The refusal names the first of them.
    expect(decide('submit-to-vs', 'social_worker', f)).toEqual({
      allowed: false,
      reason: 'Mark Section B and Section C complete first',
    })
  })

  it('shows nothing waiting once a step can be taken, nor steps of other roles or states', () => {
    expect(stepsWaiting('social_worker', facts())).toEqual([])
    expect(stepsWaiting('carer', facts({ completeSections: [] }))).toEqual([])
    expect(
      stepsWaiting('social_worker', facts({ state: 'awaiting_qa', meetingConfirmed: false })),
    ).toEqual([])
    expect(
      stepsWaiting('vs_consultant', facts({ state: 'awaiting_qa', qaComplete: false })),
    ).toEqual([{ transition: 'sign-off', needs: [{ kind: 'quality-assurance' }] }])
  })

  it('shows the school’s sending step only to the teacher it is delegated to', () => {
    const open = { delegation: 'delegated', completeSections: [] } as const
    expect(stepsWaiting('designated_teacher', facts({ ...open, actorIsDelegate: false }))).toEqual(
      [],
    )
    expect(stepsWaiting('designated_teacher', facts({ ...open, actorIsDelegate: true }))).toEqual([
      {
        transition: 'submit-contribution',
        needs: [{ kind: 'complete-sections', sections: ['B', 'C'] }],
      },
    ])
  })
})

describe('which sections can be changed', () => {
  it('opens A to C while in progress and D only while waiting for quality assurance', () => {
    const open = (state: PepState) =>
      ['A', 'B', 'C', 'D'].filter((section) => sectionOpen(state, section))
    expect(open('in_progress')).toEqual(['A', 'B', 'C'])
    expect(open('awaiting_bso_check')).toEqual([])
    expect(open('awaiting_qa')).toEqual(['D'])
    expect(open('signed_off')).toEqual([])
  })
})

describe('the quality-assurance sample', () => {
  const ids = Array.from(
    { length: 2000 },
    (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  )
  it('takes every PEP at 100%, none at 0%, and about the share asked for between', () => {
    expect(ids.every((id) => inQaSample(id, 100))).toBe(true)
    expect(ids.some((id) => inQaSample(id, 0))).toBe(false)
    const share = ids.filter((id) => inQaSample(id, 25)).length / ids.length
    expect(share).toBeGreaterThan(0.2)
    expect(share).toBeLessThan(0.3)
  })

  it('gives a PEP the same answer every time', () => {
    for (const id of ids.slice(0, 50)) expect(inQaSample(id, 40)).toBe(inQaSample(id, 40))
    expect(inQaSample(ids[0]!, Number.NaN)).toBe(true)
  })
})

describe('refusals as codes (ADR 7: the words are in forms/pep-workflow-messages.ts)', () => {
  it('names what is still needed and the PEP’s state as parameters, not words', () => {
    expect(decideCode('submit-to-vs', 'social_worker', facts({ completeSections: ['A'] }))).toEqual(
      {
        allowed: false,
        refusal: {
          code: 'pep.still-needed',
          params: { need: 'complete-sections', sections: 'B,C' },
        },
      },
    )
    expect(decideCode('sign-off', 'vs_head', facts({ state: 'in_progress' }))).toEqual({
      allowed: false,
      refusal: { code: 'pep.wrong-state', params: { state: 'in_progress' } },
    })
    expect(decideCode('retract', 'carer', facts())).toEqual({
      allowed: false,
      refusal: { code: 'pep.role-cannot' },
    })
  })
})
