import { describe, expect, it } from 'vitest'
import { termMove, type PepToMove } from './term-move.ts'

const autumn2026 = { academicYear: 2026, name: 'autumn' } as const
const spring2027 = { academicYear: 2026, name: 'spring' } as const
const summer2027 = { academicYear: 2026, name: 'summer' } as const
const autumn2027 = { academicYear: 2027, name: 'autumn' } as const

const pep = (over: Partial<PepToMove> = {}): PepToMove => ({
  term: autumn2026,
  status: 'in_progress',
  changeOfSchool: false,
  childInCare: true,
  ...over,
})

describe('which PEPs move to the new term', () => {
  it('moves an unfinished autumn PEP to spring on 1 January, not on 31 December', () => {
    expect(termMove(pep(), '2026-12-31', false)).toEqual({ kind: 'stay' })
    expect(termMove(pep(), '2027-01-01', false)).toEqual({ kind: 'move', to: spring2027 })
  })

  it('moves an unfinished summer PEP to the autumn of the next academic year on 1 September', () => {
    const summer = pep({ term: summer2027 })
    expect(termMove(summer, '2027-08-31', false)).toEqual({ kind: 'stay' })
    expect(termMove(summer, '2027-09-01', false)).toEqual({ kind: 'move', to: autumn2027 })
  })

  it('moves a PEP waiting for the Virtual School as well as one in progress', () => {
    for (const status of ['in_progress', 'awaiting_bso_check', 'awaiting_qa'])
      expect(termMove(pep({ status }), '2027-01-01', false).kind).toBe('move')
  })

  it('leaves a signed-off PEP in its term', () => {
    expect(termMove(pep({ status: 'signed_off' }), '2027-01-01', false)).toEqual({ kind: 'stay' })
  })

  it('leaves the PEP of a child who has ceased to be in care', () => {
    expect(termMove(pep({ childInCare: false }), '2027-01-01', false)).toEqual({ kind: 'stay' })
  })

  it('leaves this term’s and next term’s PEPs alone', () => {
    expect(termMove(pep({ term: spring2027 }), '2027-01-01', false)).toEqual({ kind: 'stay' })
    expect(termMove(pep({ term: summer2027 }), '2027-01-01', false)).toEqual({ kind: 'stay' })
  })

  it('moves a PEP left over from several terms ago to the current term', () => {
    expect(termMove(pep(), '2027-06-01', false)).toEqual({ kind: 'move', to: summer2027 })
  })

  it('is blocked when the child already has this term’s PEP, unless it is an extra review', () => {
    expect(termMove(pep(), '2027-01-01', true)).toEqual({ kind: 'blocked', to: spring2027 })
    expect(termMove(pep({ changeOfSchool: true }), '2027-01-01', true)).toEqual({
      kind: 'move',
      to: spring2027,
    })
  })
})
