import { describe, expect, it } from 'vitest'
import {
  MAX_PENCE,
  addPence,
  formatPence,
  parsePounds,
  sumPence,
  toDecimalPounds,
} from './money.ts'

const pence = (typed: string, options?: Parameters<typeof parsePounds>[1]) => {
  const result = parsePounds(typed, options)
  return result.ok ? result.value : result.error
}

describe('reading an amount of pounds as typed into pence', () => {
  it.each([
    ['£1,234.50', 123450],
    ['1234.5', 123450],
    ['0.05', 5],
    ['.5', 50],
    ['  £ 12  ', 1200],
    ['£1,234,567.89', 123456789],
    ['0', 0],
    ['-0', 0],
    ['007.10', 710],
    ['90071992547409.91', MAX_PENCE],
  ])('reads %j as %i pence', (typed, expected) => {
    expect(pence(typed)).toBe(expected)
  })

  it('refuses more than two decimal places, even ones that look like a thousands separator', () => {
    expect(pence('1.234')).toEqual({ code: 'money.too-many-decimals' })
    expect(pence('0.001')).toEqual({ code: 'money.too-many-decimals' })
    expect(pence('1.50')).toBe(150)
  })

  it.each([
    'NaN',
    'Infinity',
    '1e3',
    '0x10',
    '£',
    '.',
    '5.',
    '1,23',
    '12,34.5',
    '1,2345',
    ',123',
    '1.2.3',
    '£-',
    '5 pounds',
    '１２',
    '1'.repeat(41),
  ])('refuses %j as not an amount', (typed) => {
    expect(pence(typed)).toEqual({ code: 'money.not-an-amount' })
  })

  it('says when nothing was typed', () => {
    expect(pence('')).toEqual({ code: 'money.empty' })
    expect(pence('   ')).toEqual({ code: 'money.empty' })
  })

  it('refuses a negative amount unless allowed, in either place a minus is typed', () => {
    expect(pence('-5')).toEqual({ code: 'money.negative' })
    expect(pence('£-5')).toEqual({ code: 'money.negative' })
    expect(pence('-£0.01')).toEqual({ code: 'money.negative' })
    expect(pence('-£5', { allowNegative: true })).toBe(-500)
    expect(pence('£-5', { allowNegative: true })).toBe(-500)
    expect(pence('−2.50', { allowNegative: true })).toBe(-250)
    expect(pence('--5', { allowNegative: true })).toEqual({ code: 'money.not-an-amount' })
  })

  it('refuses more than the maximum, naming it, and accepts the maximum itself', () => {
    expect(pence('1000', { maxPence: 100_000 })).toBe(100_000)
    expect(pence('1000.01', { maxPence: 100_000 })).toEqual({
      code: 'money.over-maximum',
      params: { maxPence: 100_000 },
    })
    expect(pence('-1000.01', { maxPence: 100_000, allowNegative: true })).toEqual({
      code: 'money.over-maximum',
      params: { maxPence: 100_000 },
    })
  })

  it('refuses an amount that would not add up exactly', () => {
    expect(pence('90071992547409.92')).toEqual({
      code: 'money.over-maximum',
      params: { maxPence: MAX_PENCE },
    })
    expect(pence('99999999999999999999')).toMatchObject({ code: 'money.over-maximum' })
    expect(pence('1', { maxPence: MAX_PENCE * 2 })).toBe(100)
  })
})

describe('showing pence as pounds', () => {
  it.each([
    [0, '£0.00'],
    [5, '£0.05'],
    [123450, '£1,234.50'],
    [-5, '-£0.05'],
    [MAX_PENCE, '£90,071,992,547,409.91'],
  ])('shows %i as %s', (amount, shown) => {
    expect(formatPence(amount)).toBe(shown)
  })

  it('drops zero pence only when asked, for a limit in a message', () => {
    expect(formatPence(100_000, { dropZeroPence: true })).toBe('£1,000')
    expect(formatPence(100_050, { dropZeroPence: true })).toBe('£1,000.50')
  })

  it('writes a plain decimal for a file or a stored answer', () => {
    expect(toDecimalPounds(123450)).toBe('1234.50')
    expect(toDecimalPounds(7)).toBe('0.07')
    expect(toDecimalPounds(-250)).toBe('-2.50')
  })

  it('refuses anything that is not whole pence', () => {
    expect(() => formatPence(1.5)).toThrow(RangeError)
    expect(() => toDecimalPounds(Number.NaN)).toThrow(RangeError)
  })
})

describe('adding up', () => {
  it('adds pence exactly where pounds in floating point would not', () => {
    expect(0.1 + 0.2).not.toBe(0.3)
    expect(addPence(10, 20)).toBe(30)
    expect(sumPence([263000, -263000, 1, 1])).toBe(2)
    expect(sumPence([])).toBe(0)
  })

  it('reaches the maximum exactly and throws past it', () => {
    expect(sumPence([MAX_PENCE - 1, 1])).toBe(MAX_PENCE)
    expect(() => sumPence([MAX_PENCE, 1])).toThrow(RangeError)
    expect(() => sumPence([MAX_PENCE, MAX_PENCE, -MAX_PENCE])).toThrow(RangeError)
  })

  it('refuses amounts that are not whole pence', () => {
    expect(() => sumPence([1, 0.5])).toThrow(RangeError)
    expect(() => sumPence([Number.MAX_SAFE_INTEGER + 1])).toThrow(RangeError)
  })
})
