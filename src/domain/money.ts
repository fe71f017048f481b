import { ok, refuse, type Result } from '../shared/result.ts'

/*
 * Money as whole pence in integers, end to end (ADR 7): what a person typed is read into pence,
 * pence are added up as integers and shown as pounds. Never floating point: 0.1 + 0.2 is not
 * 0.3 in pounds, but 10 + 20 is 30 in pence. Columns that hold money are named `*_pence`.
 */

/** An amount in whole pence: a safe integer, negative only where a rule allows it. */
export type Pence = number

/** The largest amount any sum may reach and stay exact: about £90 trillion. */
export const MAX_PENCE: Pence = Number.MAX_SAFE_INTEGER

export type MoneyRefusal =
  | 'money.empty'
  | 'money.not-an-amount'
  | 'money.too-many-decimals'
  | 'money.negative'
  | 'money.over-maximum'

export interface ParseOptions {
  /** A refund or a correction may be negative; an amount typed into a form usually may not. */
  allowNegative?: boolean
  /** The largest amount accepted (for a negative one, its size), in pence. */
  maxPence?: Pence
}

/** Typed amounts longer than this are not amounts anyone means. */
const MAX_LENGTH = 40
/** Pounds with commas between each group of three digits (1,234,567), or digits alone. */
const POUNDS = /^(?:\d{1,3}(?:,\d{3})+|\d+)$/

/**
 * Reads an amount of pounds as a person types it ("£1,234.50", "1234.5", "0.05", ".5", "-£3")
 * into pence. Refuses, with a code: nothing typed; anything that is not an amount ("NaN",
 * "1e3", "1,23", "£", "5."); more than two decimal places ("1.234"); a negative amount unless
 * allowed; more than the maximum (by default, the most that adds up exactly).
 */
export function parsePounds(
  typed: string,
  options: ParseOptions = {},
): Result<Pence, MoneyRefusal> {
  let text = typed.trim()
  if (text === '') return refuse('money.empty')
  if (text.length > MAX_LENGTH) return refuse('money.not-an-amount')
  let negative = false
  const sign = () => {
    if (!negative && /^[-\u2212]/.test(text)) {
      negative = true
      text = text.slice(1).trimStart()
    }
  }
  sign()
  if (text.startsWith('£')) text = text.slice(1).trimStart()
  sign()
  const [whole = '', fraction, ...rest] = text.split('.')
  if (rest.length > 0) return refuse('money.not-an-amount')
  if (whole === '' && (fraction === undefined || fraction === ''))
    return refuse('money.not-an-amount')
  if (whole !== '' && !POUNDS.test(whole)) return refuse('money.not-an-amount')
  if (fraction !== undefined && !/^\d+$/.test(fraction)) return refuse('money.not-an-amount')
  if (fraction !== undefined && fraction.length > 2) return refuse('money.too-many-decimals')
  const size =
    BigInt(whole.replace(/,/g, '') || '0') * 100n + BigInt((fraction ?? '').padEnd(2, '0'))
  if (negative && size > 0n && !options.allowNegative) return refuse('money.negative')
  const max = Math.min(options.maxPence ?? MAX_PENCE, MAX_PENCE)
  if (size > BigInt(max)) return refuse('money.over-maximum', { maxPence: max })
  const pence = Number(size)
  return ok(negative && pence > 0 ? -pence : pence)
}

function assertPence(value: Pence): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`Not a whole number of pence: ${value}`)
}

/**
 * Pence as pounds for people: "£1,234.50", "-£0.05". With `dropZeroPence`, a whole number of
 * pounds is shown without them ("£1,000"), as in a limit stated in a message.
 */
export function formatPence(pence: Pence, options: { dropZeroPence?: boolean } = {}): string {
  assertPence(pence)
  const size = Math.abs(pence)
  const pounds = Math.floor(size / 100).toLocaleString('en-GB')
  const rest = size % 100
  const amount =
    options.dropZeroPence && rest === 0 ? pounds : `${pounds}.${String(rest).padStart(2, '0')}`
  return `${pence < 0 ? '-' : ''}£${amount}`
}

/** Pence as a plain decimal of pounds ("1234.50"), for a CSV cell or a stored form answer. */
export function toDecimalPounds(pence: Pence): string {
  assertPence(pence)
  const size = Math.abs(pence)
  return `${pence < 0 ? '-' : ''}${Math.floor(size / 100)}.${String(size % 100).padStart(2, '0')}`
}

/**
 * The sum of amounts, exactly. Every amount must be whole pence, and so must the total: a sum
 * past `MAX_PENCE` throws rather than come out rounded (it cannot happen with real money, so it
 * is a bug, not a refusal).
 */
export function sumPence(amounts: Iterable<Pence>): Pence {
  let total = 0
  for (const amount of amounts) {
    assertPence(amount)
    total += amount
    // Both safe, so an inexact total is past 2^53 and no longer a safe integer.
    if (!Number.isSafeInteger(total)) throw new RangeError('The total is too large to add up')
  }
  return total
}

export const addPence = (a: Pence, b: Pence): Pence => sumPence([a, b])
