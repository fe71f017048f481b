import { describe, expect, it } from 'vitest'
import { isInitialPep } from './initial-pep.ts'
import { workingDaysAfter } from './working-days.ts'

// 23 November 2026 is a Monday.
const MONDAY = '2026-11-23'

describe('isInitialPep', () => {
  const initial = (enteredCareOn: string, hasEarlierPep = false) =>
    isInitialPep({ enteredCareOn, today: MONDAY, hasEarlierPep })

  it('flags a first PEP for a child who entered care today', () => {
    expect(initial(MONDAY)).toBe(true)
  })

  it('flags it at exactly 20 working days, not at 21', () => {
    // Monday 26 October to Monday 23 November: four weeks, 20 working days.
    expect(workingDaysAfter('2026-10-26', MONDAY)).toBe(20)
    expect(initial('2026-10-26')).toBe(true)
    // Friday 23 October: 21 working days.
    expect(initial('2026-10-23')).toBe(false)
    // Entering care at the weekend before: the Monday is already a working day in care.
    expect(initial('2026-10-24')).toBe(false)
    expect(initial('2026-10-25')).toBe(false)
  })

  it('treats a date of entering care still to come as entering now', () => {
    expect(initial('2026-11-30')).toBe(true)
  })

  it('never flags a child who already has a PEP', () => {
    expect(initial(MONDAY, true)).toBe(false)
  })

  it('does not flag a child long in care', () => {
    expect(initial('2020-01-01')).toBe(false)
  })

  it("skips bank holidays and the authority's closure days", () => {
    // Over Christmas 2026: 24 December to 26 January 2027 is 20 working days with the three
    // bank holidays (25 and 28 December, 1 January) skipped.
    const facts = { enteredCareOn: '2026-12-24', today: '2027-01-26', hasEarlierPep: false }
    expect(workingDaysAfter(facts.enteredCareOn, facts.today)).toBe(20)
    expect(isInitialPep(facts)).toBe(true)
    expect(isInitialPep({ ...facts, today: '2027-01-27' })).toBe(false)
    expect(isInitialPep({ ...facts, today: '2027-01-27', closures: new Set(['2026-12-29']) })).toBe(
      true,
    )
  })

  it("uses the authority's number of working days", () => {
    expect(isInitialPep({ enteredCareOn: '2026-11-09', today: MONDAY, hasEarlierPep: false })).toBe(
      true,
    )
    const facts = { enteredCareOn: '2026-11-09', today: MONDAY, hasEarlierPep: false }
    expect(isInitialPep({ ...facts, workingDays: 10 })).toBe(true)
    expect(isInitialPep({ ...facts, workingDays: 9 })).toBe(false)
  })
})
