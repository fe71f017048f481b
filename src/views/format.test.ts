import { describe, expect, it } from 'vitest'
import { countOf, formatDate, formatDateTime } from './format.ts'

describe('formatting dates', () => {
  it('writes calendar dates as English councils do, whatever the server time zone', () => {
    expect(formatDate('2026-11-23')).toBe('23 November 2026')
    expect(formatDate('2028-02-29')).toBe('29 February 2028')
    expect(formatDate('')).toBe('')
    expect(formatDate(null)).toBe('')
    expect(formatDate('not a date')).toBe('')
  })

  it('writes the day of an instant as it was in England', () => {
    expect(formatDate(new Date('2026-08-31T23:30:00Z'))).toBe('1 September 2026')
  })

  it('writes instants in UK time with am and pm', () => {
    expect(formatDateTime(new Date('2026-07-01T13:05:00Z'))).toBe('1 July 2026 at 2:05pm')
    expect(formatDateTime(new Date('2026-12-01T09:00:00Z'))).toBe('1 December 2026 at 9:00am')
  })
})

describe('countOf', () => {
  it('says one in the singular, and any other number in the plural', () => {
    expect(countOf(1, 'line')).toBe('1 line')
    expect(countOf(0, 'line')).toBe('0 lines')
    expect(countOf(2, 'line')).toBe('2 lines')
    expect(countOf(9000, 'child', 'children')).toBe('9,000 children')
  })
})
