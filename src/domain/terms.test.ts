import { describe, expect, it } from 'vitest'
import {
  compareTerms,
  nextTerm,
  parseTermKey,
  previousTerm,
  termEnd,
  termKey,
  termLabel,
  termOf,
  termStart,
} from './terms.ts'

describe('termOf', () => {
  it.each([
    ['2026-08-31', 2025, 'summer'],
    ['2026-09-01', 2026, 'autumn'],
    ['2026-12-31', 2026, 'autumn'],
    ['2027-01-01', 2026, 'spring'],
    ['2027-03-31', 2026, 'spring'],
    ['2027-04-01', 2026, 'summer'],
    ['2028-02-29', 2027, 'spring'],
  ])('%s is in the %s/%s term', (date, academicYear, name) => {
    expect(termOf(date)).toEqual({ academicYear, name })
  })

  it('refuses what is not a date', () => {
    expect(() => termOf('2026-02-30')).toThrow(RangeError)
  })
})

describe('term arithmetic', () => {
  const autumn = { academicYear: 2026, name: 'autumn' } as const
  it('walks forward and back across academic years', () => {
    expect(nextTerm(autumn)).toEqual({ academicYear: 2026, name: 'spring' })
    expect(nextTerm(nextTerm(nextTerm(autumn)))).toEqual({ academicYear: 2027, name: 'autumn' })
    expect(previousTerm(autumn)).toEqual({ academicYear: 2025, name: 'summer' })
    expect(previousTerm(nextTerm(autumn))).toEqual(autumn)
  })

  it('gives each term its first and last day, with no gap between terms', () => {
    expect([termStart(autumn), termEnd(autumn)]).toEqual(['2026-09-01', '2026-12-31'])
    const spring = nextTerm(autumn)
    expect([termStart(spring), termEnd(spring)]).toEqual(['2027-01-01', '2027-03-31'])
    const summer = nextTerm(spring)
    expect([termStart(summer), termEnd(summer)]).toEqual(['2027-04-01', '2027-08-31'])
    expect(termOf(termEnd(summer))).toEqual(summer)
  })

  it('orders, names and keys terms', () => {
    expect(compareTerms(autumn, nextTerm(autumn))).toBeLessThan(0)
    expect(compareTerms(autumn, previousTerm(autumn))).toBeGreaterThan(0)
    expect(termLabel(autumn)).toBe('Autumn term 2026')
    expect(termLabel(nextTerm(autumn))).toBe('Spring term 2027')
    expect(parseTermKey(termKey(autumn))).toEqual(autumn)
    expect(termKey(nextTerm(autumn))).toBe('2027-spring')
    expect(parseTermKey('2027-spring')).toEqual({ academicYear: 2026, name: 'spring' })
    expect(parseTermKey('2027-summer')).toEqual({ academicYear: 2026, name: 'summer' })
    expect(parseTermKey('2026-winter')).toBeUndefined()
    expect(parseTermKey(['2026-autumn'])).toBeUndefined()
  })
})
