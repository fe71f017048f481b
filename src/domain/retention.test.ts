import { describe, expect, it } from 'vitest'
import { addYears, isPastRetention, keepUntil } from './retention.ts'

const left = (ceasedOn: string, dateOfBirth = '2000-06-15') => ({
  status: 'ceased' as const,
  ceasedOn,
  dateOfBirth,
})

describe('how long a record is kept', () => {
  it('keeps a child in care, and keeps everything when no period is set', () => {
    const policy = { yearsAfterCare: 1, untilAge: 18 }
    expect(
      keepUntil(policy, { status: 'in_care', ceasedOn: null, dateOfBirth: '1950-01-01' }),
    ).toBe(null)
    expect(keepUntil({ yearsAfterCare: null, untilAge: null }, left('2001-01-01'))).toBe(null)
  })

  it('counts years after leaving care, or to a birthday, and with both the later', () => {
    expect(keepUntil({ yearsAfterCare: 25, untilAge: null }, left('2020-09-01'))).toBe('2045-09-01')
    expect(keepUntil({ yearsAfterCare: null, untilAge: 75 }, left('2020-09-01'))).toBe('2075-06-15')
    expect(keepUntil({ yearsAfterCare: 25, untilAge: 21 }, left('2020-09-01'))).toBe('2045-09-01')
    expect(keepUntil({ yearsAfterCare: 1, untilAge: 25 }, left('2020-09-01'))).toBe('2025-06-15')
  })

  it('is past its date only from the day after the last day kept', () => {
    const policy = { yearsAfterCare: 1, untilAge: null }
    const child = left('2025-11-23')
    expect(isPastRetention(policy, child, '2026-11-22')).toBe(false)
    expect(isPastRetention(policy, child, '2026-11-23')).toBe(false)
    expect(isPastRetention(policy, child, '2026-11-24')).toBe(true)
  })

  it('moves 29 February to 28 February in a year without it', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28')
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29')
    expect(addYears('2000-02-29', 100)).toBe('2100-02-28')
  })
})
