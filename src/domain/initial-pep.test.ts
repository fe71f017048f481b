import { describe, expect, it } from 'vitest'
import { addDays } from './calendar-date.ts'
import { isInitialPep, workingDaysAfter } from './initial-pep.ts'

// 23 November 2026 is a Monday.
const MONDAY = '2026-11-23'

describe('workingDaysAfter', () => {
  it('counts Monday to Friday after the first day, up to and including the last', () => {
    expect(workingDaysAfter(MONDAY, MONDAY)).toBe(0)
    expect(workingDaysAfter(MONDAY, '2026-11-24')).toBe(1)
    expect(workingDaysAfter(MONDAY, '2026-11-27')).toBe(4)
    expect(workingDaysAfter(MONDAY, '2026-11-30')).toBe(5)
  })

  it('skips weekends, wherever the count starts', () => {
    // Friday to Monday is one working day; Saturday to Monday, and Sunday to Monday, too.
    expect(workingDaysAfter('2026-11-20', MONDAY)).toBe(1)
    expect(workingDaysAfter('2026-11-21', MONDAY)).toBe(1)
    expect(workingDaysAfter('2026-11-22', MONDAY)).toBe(1)
    // Friday to Sunday: none.
    expect(workingDaysAfter('2026-11-20', '2026-11-22')).toBe(0)
  })

  it('agrees with counting day by day over long spans', () => {
    for (const start of ['2026-11-18', '2026-11-21', '2026-12-27']) {
      for (let span = 0; span < 60; span++) {
        let expected = 0
        for (let i = 1; i <= span; i++) {
          const day = new Date(`${addDays(start, i)}T00:00:00Z`).getUTCDay()
          if (day !== 0 && day !== 6) expected++
        }
        expect(workingDaysAfter(start, addDays(start, span))).toBe(expected)
      }
    }
  })

  it('is 0 when the last day is before the first', () => {
    expect(workingDaysAfter(MONDAY, '2026-11-01')).toBe(0)
  })
})

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
})
