import { describe, expect, it } from 'vitest'
import {
  academicYearStart,
  birthDateRangeFor,
  formTypeFor,
  keyStageOf,
  yearGroupOn,
  YEAR_GROUPS,
} from './year-group.ts'
import { ageOn, daysBetween, londonDate, parseCalendarDate } from './calendar-date.ts'

describe('calendar dates', () => {
  it.each([
    ['2026-02-29', false],
    ['2028-02-29', true],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['2026-12-31', true],
    ['', false],
  ])('%s is a real date: %s', (value, real) => {
    expect(parseCalendarDate(value) !== undefined).toBe(real)
  })

  it('reads a date as the calendar does, digit by digit: every day and its neighbours', () => {
    // The former reading (a regular expression, then a Date.UTC round trip) as the reference.
    const reference = (value: string) => {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
      if (!match) return undefined
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
      const date = new Date(Date.UTC(year, month - 1, day))
      return date.getUTCFullYear() === year &&
        date.getUTCMonth() === month - 1 &&
        date.getUTCDate() === day
        ? { year, month, day }
        : undefined
    }
    const pad = (n: number, width: number) => String(n).padStart(width, '0')
    for (const year of [0, 1, 99, 100, 1900, 1999, 2000, 2024, 2026, 2100, 2400, 9999])
      for (let month = 0; month <= 13; month++)
        for (let day = 0; day <= 32; day++) {
          const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`
          expect(parseCalendarDate(value), value).toEqual(reference(value))
        }
    for (const value of [
      '2026/01/01',
      '2026-01-0a',
      ' 2026-01-01',
      '2026-01-01 ',
      '２０２６-01-01',
    ])
      expect(parseCalendarDate(value), value).toBeUndefined()
  })

  it('counts days across a leap day and a year end', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2)
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1)
    expect(daysBetween('2026-11-23', '2026-11-23')).toBe(0)
    expect(daysBetween('2026-11-23', '2026-11-22')).toBe(-1)
  })

  it('takes today in England, not in UTC', () => {
    // 23:30 UTC on 31 August 2026 is already 1 September in British Summer Time.
    expect(londonDate(new Date('2026-08-31T23:30:00Z'))).toBe('2026-09-01')
    expect(londonDate(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31')
  })
})

describe('age', () => {
  it('turns on the birthday, not the day before', () => {
    expect(ageOn('2015-09-01', '2026-08-31')).toBe(10)
    expect(ageOn('2015-09-01', '2026-09-01')).toBe(11)
  })

  it('gives someone born on 29 February their birthday on 1 March in other years', () => {
    expect(ageOn('2012-02-29', '2026-02-28')).toBe(13)
    expect(ageOn('2012-02-29', '2026-03-01')).toBe(14)
    expect(ageOn('2012-02-29', '2028-02-29')).toBe(16)
  })
})

describe('year group', () => {
  it('starts the academic year on 1 September', () => {
    expect(academicYearStart('2026-08-31')).toBe(2025)
    expect(academicYearStart('2026-09-01')).toBe(2026)
    expect(academicYearStart('2027-01-15')).toBe(2026)
  })

  it('puts a child born on 31 August in the year above one born on 1 September', () => {
    // In 2026/27, Year 7 are those aged 11 on 31 August 2026: born 1 Sep 2014 to 31 Aug 2015.
    expect(yearGroupOn('2015-08-31', '2026-11-23')).toEqual({ kind: 'year', yearGroup: 'Y7' })
    expect(yearGroupOn('2015-09-01', '2026-11-23')).toEqual({ kind: 'year', yearGroup: 'Y6' })
    expect(yearGroupOn('2014-09-01', '2026-11-23')).toEqual({ kind: 'year', yearGroup: 'Y7' })
  })

  it('moves everyone up on 1 September, not before', () => {
    expect(yearGroupOn('2015-08-31', '2026-08-31')).toEqual({ kind: 'year', yearGroup: 'Y6' })
    expect(yearGroupOn('2015-08-31', '2026-09-01')).toEqual({ kind: 'year', yearGroup: 'Y7' })
  })

  it('maps every age from nursery to Year 13', () => {
    const on = '2026-11-23'
    const bornOn31August = (age: number) => `${2026 - age}-08-31`
    expect(yearGroupOn(bornOn31August(1), on)).toEqual({ kind: 'too-young' })
    expect(yearGroupOn(bornOn31August(2), on)).toEqual({ kind: 'year', yearGroup: 'N' })
    expect(yearGroupOn(bornOn31August(3), on)).toEqual({ kind: 'year', yearGroup: 'N' })
    expect(yearGroupOn(bornOn31August(4), on)).toEqual({ kind: 'year', yearGroup: 'R' })
    for (let age = 5; age <= 17; age++) {
      expect(yearGroupOn(bornOn31August(age), on)).toEqual({
        kind: 'year',
        yearGroup: `Y${age - 4}`,
      })
    }
    expect(yearGroupOn(bornOn31August(18), on)).toEqual({ kind: 'beyond-year-13' })
  })

  it('places a leap-day child by their age on 31 August', () => {
    expect(yearGroupOn('2016-02-29', '2026-11-23')).toEqual({ kind: 'year', yearGroup: 'Y6' })
  })

  it('keeps a child held out of their chronological year in the year set for them', () => {
    expect(yearGroupOn('2015-08-31', '2026-11-23', 'Y6')).toEqual({ kind: 'year', yearGroup: 'Y6' })
  })
})

describe('key stage and form type', () => {
  it('maps every year group to its key stage', () => {
    expect(YEAR_GROUPS.map(keyStageOf)).toEqual([
      'EYFS',
      'EYFS',
      'KS1',
      'KS1',
      'KS2',
      'KS2',
      'KS2',
      'KS2',
      'KS3',
      'KS3',
      'KS3',
      'KS4',
      'KS4',
      'KS5',
      'KS5',
    ])
  })

  it('chooses the form from year group and setting', () => {
    expect(formTypeFor('N', false)).toBe('early_years')
    expect(formTypeFor('R', true)).toBe('early_years')
    expect(formTypeFor('Y1', false)).toBe('primary')
    expect(formTypeFor('Y6', true)).toBe('primary_special')
    expect(formTypeFor('Y7', false)).toBe('secondary')
    expect(formTypeFor('Y11', true)).toBe('secondary_special')
    expect(formTypeFor('Y12', false)).toBe('post_16')
    expect(formTypeFor('Y13', true)).toBe('secondary_special')
  })
})

describe('birthDateRangeFor', () => {
  it('is the inverse of yearGroupOn at both ends of every year group', () => {
    for (const on of ['2026-11-23', '2027-08-31', '2027-09-01']) {
      for (const yearGroup of YEAR_GROUPS) {
        const { from, to } = birthDateRangeFor(yearGroup, on)
        expect(yearGroupOn(from, on), `${yearGroup} ${on} from`).toEqual({
          kind: 'year',
          yearGroup,
        })
        expect(yearGroupOn(to, on), `${yearGroup} ${on} to`).toEqual({ kind: 'year', yearGroup })
      }
    }
    expect(birthDateRangeFor('Y7', '2026-11-23')).toEqual({ from: '2014-09-01', to: '2015-08-31' })
    expect(birthDateRangeFor('N', '2026-11-23')).toEqual({ from: '2022-09-01', to: '2024-08-31' })
  })
})
