import { describe, expect, it } from 'vitest'
import {
  checkPaidOn,
  allocationCheck,
  decide,
  financialYearLabel,
  financialYearOf,
  parseFinancialYear,
  readAmount,
  readCorrection,
  summarise,
  unpaidPence,
  type DecisionInput,
} from './funding.ts'

const result = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }) =>
  r.ok ? r.value : r.error.code

describe('the financial year of a decision', () => {
  it.each([
    ['2027-03-31', 2026, '2026-27'],
    ['2027-04-01', 2027, '2027-28'],
    ['2026-04-01', 2026, '2026-27'],
    ['2026-03-31', 2025, '2025-26'],
    ['2026-12-31', 2026, '2026-27'],
    ['2027-01-01', 2026, '2026-27'],
    ['2099-04-01', 2099, '2099-00'],
    ['2028-02-29', 2027, '2027-28'],
  ])('%s falls in %i (%s)', (date, year, label) => {
    expect(financialYearOf(date)).toBe(year)
    expect(financialYearLabel(year)).toBe(label)
  })

  it('refuses what is not a date', () => {
    expect(() => financialYearOf('31/03/2027')).toThrow(RangeError)
  })

  it.each([
    ['2026-27', 2026],
    ['2026', 2026],
    [' 2099-00 ', 2099],
    ['2026-28', undefined],
    ['1999-00', undefined],
    ['26-27', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %j as the financial year %s', (text, year) => {
    expect(parseFinancialYear(text)).toBe(year)
  })
})

describe('an amount typed into a request', () => {
  it.each([
    ['£1,000.00', 100_000],
    ['0.01', 1],
    ['£100,000', 10_000_000],
    ['2630', 263_000],
  ])('reads %j as %i pence', (typed, pence) => {
    expect(result(readAmount(typed))).toBe(pence)
  })

  it.each([
    ['0', 'funding.amount-zero'],
    ['£0.00', 'funding.amount-zero'],
    ['', 'money.empty'],
    ['£1,000.005', 'money.too-many-decimals'],
    ['12e3', 'money.not-an-amount'],
    ['-5', 'money.negative'],
    ['💷', 'money.not-an-amount'],
    ['5 💷', 'money.not-an-amount'],
    ['NaN', 'money.not-an-amount'],
    ['Infinity', 'money.not-an-amount'],
    ['1,00', 'money.not-an-amount'],
    ['£100,000.01', 'money.over-maximum'],
    [undefined, 'money.empty'],
    [['1', '2'], 'money.empty'],
  ])('refuses %j with %s', (typed, code) => {
    expect(result(readAmount(typed))).toBe(code)
  })
})

const base: DecisionInput = {
  outcome: 'approved',
  typedAmount: '',
  reason: '',
  overAllocationReason: '',
  requestedPence: 50_000,
  requestedBy: 'teacher',
  decidedBy: 'consultant',
  deciderIsHead: false,
  allocationPence: 263_000,
  otherApprovedPence: 0,
}

describe('a decision on a request', () => {
  it('approves the amount requested', () => {
    expect(decide(base)).toEqual({
      ok: true,
      value: { outcome: 'approved', amountPence: 50_000, reason: '', overAllocation: null },
    })
  })

  it('never lets the person who requested decide', () => {
    expect(result(decide({ ...base, decidedBy: 'teacher' }))).toBe(
      'funding.requester-cannot-decide',
    )
  })

  it('asks for an outcome', () => {
    expect(result(decide({ ...base, outcome: 'maybe' }))).toBe('funding.outcome-needed')
    expect(result(decide({ ...base, outcome: undefined }))).toBe('funding.outcome-needed')
  })

  it('declines with a reason, for nothing, whatever the budget', () => {
    expect(result(decide({ ...base, outcome: 'declined' }))).toBe('funding.reason-needed')
    expect(result(decide({ ...base, outcome: 'declined', reason: '   ' }))).toBe(
      'funding.reason-needed',
    )
    expect(
      result(
        decide({
          ...base,
          outcome: 'declined',
          reason: ' Not linked to the target ',
          allocationPence: undefined,
        }),
      ),
    ).toEqual({
      outcome: 'declined',
      amountPence: 0,
      reason: 'Not linked to the target',
      overAllocation: null,
    })
  })

  it('approves a smaller amount, 1p less at most, with a reason', () => {
    const part = (typedAmount: string, reason = 'Ten sessions, not twelve') =>
      result(decide({ ...base, outcome: 'part_approved', typedAmount, reason }))
    expect(part('499.99')).toMatchObject({ outcome: 'part_approved', amountPence: 49_999 })
    expect(part('0.01')).toMatchObject({ amountPence: 1 })
    expect(part('500')).toBe('funding.part-not-less')
    expect(part('500.01')).toBe('funding.part-not-less')
    expect(part('0')).toBe('funding.amount-zero')
    expect(part('£1,000.005')).toBe('money.too-many-decimals')
    expect(part('12e3')).toBe('money.not-an-amount')
    expect(part('-1')).toBe('money.negative')
    expect(part('🙂')).toBe('money.not-an-amount')
    expect(part('')).toBe('money.empty')
    expect(part('400', '')).toBe('funding.reason-needed')
  })

  it('needs the year’s budget to approve', () => {
    expect(result(decide({ ...base, allocationPence: undefined }))).toBe('funding.no-budget')
  })

  describe('at the edge of the child’s allocation', () => {
    const atEdge = (otherApprovedPence: number, extra: Partial<DecisionInput> = {}) =>
      result(decide({ ...base, otherApprovedPence, ...extra }))

    it('approves up to exactly the allocation', () => {
      expect(atEdge(213_000)).toMatchObject({ amountPence: 50_000, overAllocation: null })
    })

    it('refuses 1p over unless a head approves it with a reason', () => {
      expect(atEdge(213_001)).toBe('funding.over-allocation')
      expect(decide({ ...base, otherApprovedPence: 213_001 })).toMatchObject({
        error: { params: { allocationPence: 263_000, remainingPence: 49_999 } },
      })
      expect(atEdge(213_001, { deciderIsHead: true })).toBe('funding.head-reason-needed')
      expect(
        atEdge(213_001, { deciderIsHead: true, overAllocationReason: ' Exam year ' }),
      ).toMatchObject({ amountPence: 50_000, overAllocation: { reason: 'Exam year' } })
    })

    it('treats an allocation of 0p as nothing to spend', () => {
      expect(atEdge(0, { allocationPence: 0 })).toBe('funding.over-allocation')
    })

    it('counts a smaller approval against the allocation at its own amount', () => {
      expect(
        atEdge(263_000 - 100, { outcome: 'part_approved', typedAmount: '1.00', reason: 'r' }),
      ).toMatchObject({ amountPence: 100, overAllocation: null })
    })
  })
})

describe('the sums', () => {
  it('checks an allocation at 0p, the edge and 1p over', () => {
    expect(allocationCheck(263_000, 0, 0).over).toBe(false)
    expect(allocationCheck(263_000, 262_999, 1).over).toBe(false)
    expect(allocationCheck(263_000, 263_000, 1)).toEqual({ remainingBeforePence: 0, over: true })
  })

  it('says what a run would take: approved and in no run yet, never below nothing', () => {
    expect(unpaidPence(50_000, 0)).toBe(50_000)
    expect(unpaidPence(50_000, 50_000)).toBe(0)
    expect(unpaidPence(40_000, 50_000)).toBe(0)
  })

  it('adds up a child’s year from the lines', () => {
    expect(
      summarise(263_000, [
        { requestedPence: 50_000, approvedPence: 50_000, paidPence: 50_000, inRunsPence: 50_000 },
        { requestedPence: 30_000, approvedPence: 0, paidPence: 0, inRunsPence: 0 },
        { requestedPence: 300_000, approvedPence: 263_001, paidPence: 0, inRunsPence: 0 },
      ]),
    ).toEqual({
      allocationPence: 263_000,
      approvedPence: 313_001,
      paidPence: 50_000,
      remainingPence: -50_001,
    })
  })

  it('takes back a paid amount with a reason, never more than was paid', () => {
    expect(result(readCorrection('100', 'Session cancelled', 50_000))).toEqual({
      amountPence: -10_000,
      reason: 'Session cancelled',
    })
    expect(result(readCorrection('500.00', 'All of it', 50_000))).toEqual({
      amountPence: -50_000,
      reason: 'All of it',
    })
    expect(result(readCorrection('500.01', 'Too much', 50_000))).toBe(
      'funding.correction-too-large',
    )
    expect(result(readCorrection('100', ' ', 50_000))).toBe('funding.reason-needed')
    expect(result(readCorrection('-100', 'r', 50_000))).toBe('money.negative')
  })
})

describe('the day a payment run was paid', () => {
  const context = { today: '2026-11-30', madeOn: '2026-11-23' }
  it('accepts today and the day the run was made, and every day between', () => {
    for (const day of ['2026-11-30', '2026-11-23', '2026-11-26'])
      expect(checkPaidOn(day, context)).toEqual({ ok: true, value: day })
  })
  it('refuses tomorrow, and the day before the run was made', () => {
    expect(checkPaidOn('2026-12-01', context)).toEqual({
      ok: false,
      error: { code: 'funding.paid-in-future' },
    })
    expect(checkPaidOn('2026-11-22', context)).toEqual({
      ok: false,
      error: { code: 'funding.paid-before-run', params: { madeOn: '2026-11-23' } },
    })
  })
})
