import { describe, expect, it } from 'vitest'
import { colleagueFor, missingReason, reopensSchoolPart, sectionsToReopen } from './pep-steps.ts'
import { ratingsNeedingHead, type PepFacts } from './pep-workflow.ts'

const facts = (overrides: Partial<PepFacts> = {}): PepFacts => ({
  state: 'awaiting_qa',
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

describe('a reason a step needs', () => {
  it('asks for a reason to sign off a PEP rated where the head signs off, and not otherwise', () => {
    const low = facts({ overallRating: 'inadequate' })
    expect(missingReason('sign-off', low, {}, null)).toBe('step.sign-off-reason')
    expect(missingReason('sign-off', low, { comments: '  \n ' }, null)).toBe('step.sign-off-reason')
    expect(missingReason('sign-off', low, { comments: 'Agreed with the head' }, null)).toBe(
      undefined,
    )
    expect(missingReason('sign-off', facts({ overallRating: 'good' }), {}, null)).toBe(undefined)
    expect(missingReason('sign-off', facts({ overallRating: null }), {}, null)).toBe(undefined)
  })

  it('asks why the school’s part is due after a target date still ahead, from the day after it', () => {
    const delegate = (dueOn: string, targetOn: string | null, comments?: string) =>
      missingReason('delegate', facts({ today: '2026-12-01' }), { dueOn, comments }, targetOn)
    expect(delegate('2026-12-10', '2026-12-10')).toBe(undefined)
    expect(delegate('2026-12-11', '2026-12-10')).toBe('step.late-school-part-reason')
    expect(delegate('2026-12-11', '2026-12-10', 'The school is closed')).toBe(undefined)
    // A target date already passed, or none, needs no reason.
    expect(delegate('2026-12-11', '2026-11-30')).toBe(undefined)
    expect(delegate('2026-12-11', '2026-12-01')).toBe('step.late-school-part-reason')
    expect(delegate('2026-12-11', null)).toBe(undefined)
  })

  it('asks nothing of the other steps', () => {
    expect(missingReason('bso-pass', facts({ overallRating: 'inadequate' }), {}, null)).toBe(
      undefined,
    )
  })
})

describe('what a return reopens', () => {
  it('reopens the sections asked for that the PEP has, never quality assurance', () => {
    expect(sectionsToReopen(['A', 'D', 'E'], ['A', 'B', 'C', 'D'])).toEqual(['A'])
    expect(sectionsToReopen(undefined, ['A'])).toEqual([])
  })

  it('sends the school’s part back only when one of its sections reopens', () => {
    expect(reopensSchoolPart(['A'], ['B', 'C'])).toBe(false)
    expect(reopensSchoolPart(['A', 'C'], ['B', 'C'])).toBe(true)
    expect(reopensSchoolPart([], ['B', 'C'])).toBe(false)
  })
})

describe('passing the school’s part on', () => {
  it('goes to a colleague on the staff, never to oneself or anyone not on it', () => {
    const staff = [{ id: 'me' }, { id: 'colleague' }]
    expect(colleagueFor(staff, 'colleague', 'me')).toEqual({ id: 'colleague' })
    expect(colleagueFor(staff, 'me', 'me')).toBe(undefined)
    expect(colleagueFor(staff, 'stranger', 'me')).toBe(undefined)
    expect(colleagueFor(staff, undefined, 'me')).toBe(undefined)
  })
})
