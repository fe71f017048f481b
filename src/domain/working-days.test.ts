import { describe, expect, it } from 'vitest'
import { isBankHoliday, isWeekend } from './bank-holidays.ts'
import { addDays, type CalendarDate } from './calendar-date.ts'
import {
  BANK_HOLIDAY_YEARS,
  addWorkingDays,
  isWorkingDay,
  workingDaysAfter,
} from './working-days.ts'

// 23 November 2026 is a Monday.
const MONDAY = '2026-11-23'

function countByDay(from: CalendarDate, to: CalendarDate, closures = new Set<CalendarDate>()) {
  let count = 0
  for (let date = addDays(from, 1); date <= to; date = addDays(date, 1)) {
    if (!isWeekend(date) && !isBankHoliday(date) && !closures.has(date)) count++
  }
  return count
}

describe('isWorkingDay', () => {
  it('is Monday to Friday, not a bank holiday, not a closure day', () => {
    expect(isWorkingDay(MONDAY)).toBe(true)
    expect(isWorkingDay('2026-11-27')).toBe(true)
    expect(isWorkingDay('2026-11-28')).toBe(false)
    expect(isWorkingDay('2026-11-29')).toBe(false)
    expect(isWorkingDay('2026-12-25')).toBe(false)
    expect(isWorkingDay('2026-12-28')).toBe(false)
    expect(isWorkingDay(MONDAY, new Set([MONDAY]))).toBe(false)
    expect(isWorkingDay(MONDAY, new Set(['2026-11-24']))).toBe(true)
  })

  it('knows only weekends (and closures) outside the covered years', () => {
    expect(BANK_HOLIDAY_YEARS.first).toBe(2020)
    expect(isWorkingDay('2019-12-25')).toBe(true)
    expect(isWorkingDay('2031-12-25')).toBe(true)
    expect(isWorkingDay('2031-12-25', new Set(['2031-12-25']))).toBe(false)
  })
})

describe('addWorkingDays', () => {
  it('0 is the day itself, even when it is not a working day', () => {
    expect(addWorkingDays(MONDAY, 0)).toBe(MONDAY)
    expect(addWorkingDays('2026-11-28', 0)).toBe('2026-11-28')
  })

  it('skips weekends', () => {
    expect(addWorkingDays(MONDAY, 1)).toBe('2026-11-24')
    expect(addWorkingDays(MONDAY, 5)).toBe('2026-11-30')
    expect(addWorkingDays('2026-11-27', 1)).toBe('2026-11-30')
    expect(addWorkingDays('2026-11-28', 1)).toBe('2026-11-30')
  })

  it('skips Christmas, Boxing Day substitutes and New Year', () => {
    // 2026: Christmas Friday, Boxing Day substitute Monday 28th; New Year Friday 2027.
    expect(addWorkingDays('2026-12-24', 1)).toBe('2026-12-29')
    expect(addWorkingDays('2026-12-24', 3)).toBe('2026-12-31')
    expect(addWorkingDays('2026-12-24', 4)).toBe('2027-01-04')
    // 2027: Christmas Saturday, so Monday 27th and Tuesday 28th are bank holidays.
    expect(addWorkingDays('2027-12-24', 1)).toBe('2027-12-29')
    // 2027/28: New Year's Day 2028 is a Saturday: Monday 3 January is the substitute.
    expect(addWorkingDays('2027-12-31', 1)).toBe('2028-01-04')
  })

  it('skips Easter', () => {
    // 2027: Good Friday 26 March, Easter Monday 29 March.
    expect(addWorkingDays('2027-03-25', 1)).toBe('2027-03-30')
    expect(addWorkingDays('2027-03-25', -1)).toBe('2027-03-24')
    expect(addWorkingDays('2027-03-30', -1)).toBe('2027-03-25')
  })

  it('skips closure days', () => {
    const closures = new Set(['2026-11-24', '2026-11-25'])
    expect(addWorkingDays(MONDAY, 1, closures)).toBe('2026-11-26')
    expect(addWorkingDays(MONDAY, 5, closures)).toBe('2026-12-02')
  })

  it('goes back with a negative count', () => {
    expect(addWorkingDays(MONDAY, -1)).toBe('2026-11-20')
    expect(addWorkingDays('2027-01-04', -1)).toBe('2026-12-31')
    expect(addWorkingDays('2026-12-29', -1)).toBe('2026-12-24')
  })

  it('counts across leap days', () => {
    // 28 Feb 2028 is a Monday; 29 Feb 2028 is a Tuesday.
    expect(addWorkingDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addWorkingDays('2028-02-25', 2)).toBe('2028-02-29')
  })

  it('refuses a count that is not whole', () => {
    expect(() => addWorkingDays(MONDAY, 1.5)).toThrow(RangeError)
  })

  it('is the inverse of workingDaysAfter on working days', () => {
    for (const start of ['2026-12-20', '2027-03-20', '2027-12-20', '2022-05-28']) {
      for (let n = 0; n < 30; n++) {
        const end = addWorkingDays(start, n)
        expect(workingDaysAfter(start, end)).toBe(n)
        if (n > 0) expect(isWorkingDay(end)).toBe(true)
      }
    }
  })
})

describe('workingDaysAfter', () => {
  it('counts working days after the first day up to and including the last', () => {
    expect(workingDaysAfter(MONDAY, MONDAY)).toBe(0)
    expect(workingDaysAfter(MONDAY, '2026-11-24')).toBe(1)
    expect(workingDaysAfter(MONDAY, '2026-11-30')).toBe(5)
    expect(workingDaysAfter('2026-11-20', '2026-11-22')).toBe(0)
  })

  it('is 0 when the last day is not after the first', () => {
    expect(workingDaysAfter(MONDAY, '2026-11-01')).toBe(0)
  })

  it('skips bank holidays and closure days, ignoring closures on weekends and holidays', () => {
    expect(workingDaysAfter('2026-12-24', '2027-01-04')).toBe(4)
    const closures = new Set(['2026-12-29', '2026-12-26', '2026-12-28', '2027-01-05'])
    expect(workingDaysAfter('2026-12-24', '2027-01-04', closures)).toBe(3)
  })

  it('agrees with counting day by day, across years and the edges of the data', () => {
    const closures = new Set(['2027-03-31', '2027-12-29', '2030-12-27', '2031-01-02'])
    for (const start of ['2019-12-20', '2026-12-20', '2027-03-20', '2030-12-15', '2022-05-25']) {
      for (let span = 0; span < 50; span++) {
        const end = addDays(start, span)
        expect(workingDaysAfter(start, end)).toBe(countByDay(start, end))
        expect(workingDaysAfter(start, end, closures)).toBe(countByDay(start, end, closures))
      }
    }
    expect(workingDaysAfter('2018-01-01', '2032-01-01')).toBe(
      countByDay('2018-01-01', '2032-01-01'),
    )
  })
})
