import { z } from 'zod'
import { AUDIT_ACTIONS, type AuditAction } from '../../domain/audit.ts'
import { validateForm, type FormErrors } from '../../forms/validation.ts'
import type { AuditLogFilter } from '../../shared/audit-log.ts'

/** What the filter form of an activity or access log sends: GOV.UK date inputs and an action. */
export interface AuditLogQuery {
  'from-day'?: string
  'from-month'?: string
  'from-year'?: string
  'to-day'?: string
  'to-month'?: string
  'to-year'?: string
  action?: string
  page?: string
}

interface DateParts {
  day: string
  month: string
  year: string
}

const DAY_MS = 24 * 60 * 60_000
const text = z
  .string()
  .optional()
  .transform((v) => (v ?? '').trim())

/** Made once: building one with a time zone costs about 300 µs (see domain/calendar-date.ts). */
const londonHourFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  hourCycle: 'h23',
})

/** The UTC instant of midnight in Europe/London on the given calendar date. */
export function londonMidnight(year: number, month: number, day: number): Date {
  const utc = Date.UTC(year, month - 1, day)
  const hour = Number(londonHourFormat.format(new Date(utc)))
  // At UTC midnight London is either at midnight (GMT) or 1am (BST); clocks change at 1am UTC.
  return new Date(utc - hour * 3_600_000)
}

type DateCheck = { empty: true } | { date: { y: number; m: number; d: number } } | { error: string }

/** A GOV.UK date input's three boxes as a real date, or the design system's message for what is wrong. */
function checkDate(parts: DateParts, label: string): DateCheck {
  const { day, month, year } = parts
  if (!day && !month && !year) return { empty: true }
  const missing = [!day && 'a day', !month && 'a month', !year && 'a year'].filter(Boolean)
  if (missing.length) return { error: `${label} must include ${missing.join(' and ')}` }
  if (![day, month, year].every((v) => /^\d+$/.test(v)) || year.length !== 4)
    return { error: `${label} must be a real date` }
  const y = Number(year)
  const m = Number(month)
  const d = Number(day)
  const date = new Date(Date.UTC(y, m - 1, d))
  if (
    y < 2000 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d
  )
    return { error: `${label} must be a real date` }
  return { date: { y, m, d } }
}

export const auditLogQuerySchema = z
  .object({
    'from-day': text,
    'from-month': text,
    'from-year': text,
    'to-day': text,
    'to-month': text,
    'to-year': text,
    action: text,
  })
  .transform((q, ctx): AuditLogFilter => {
    const from = checkDate(
      { day: q['from-day'], month: q['from-month'], year: q['from-year'] },
      'Date from',
    )
    const to = checkDate({ day: q['to-day'], month: q['to-month'], year: q['to-year'] }, 'Date to')
    if ('error' in from) ctx.addIssue({ code: 'custom', path: ['from'], message: from.error })
    if ('error' in to) ctx.addIssue({ code: 'custom', path: ['to'], message: to.error })
    const fromDate = 'date' in from ? from.date : undefined
    const toDate = 'date' in to ? to.date : undefined
    if (
      fromDate &&
      toDate &&
      Date.UTC(fromDate.y, fromDate.m - 1, fromDate.d) > Date.UTC(toDate.y, toDate.m - 1, toDate.d)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'Date to must be the same as or after date from',
      })
    if (q.action && !(q.action in AUDIT_ACTIONS))
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'Select an action from the list' })
    return {
      from: fromDate ? londonMidnight(fromDate.y, fromDate.m, fromDate.d) : undefined,
      // The day after "to", at UK midnight; via noon so a clock change cannot skip or repeat a day.
      before: toDate
        ? (() => {
            const next = new Date(Date.UTC(toDate.y, toDate.m - 1, toDate.d, 12) + DAY_MS)
            return londonMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate())
          })()
        : undefined,
      action: q.action ? (q.action as AuditAction) : undefined,
    }
  })

export type ParsedAuditLogQuery =
  | { ok: true; filter: AuditLogFilter; values: AuditLogQuery }
  | { ok: false; errors: FormErrors; values: AuditLogQuery }

const FIELDS = [
  'from-day',
  'from-month',
  'from-year',
  'to-day',
  'to-month',
  'to-year',
  'action',
] as const

/** Reads the filter form; on a mistake, the errors and what was typed, to show again. */
export function parseAuditLogQuery(query: AuditLogQuery): ParsedAuditLogQuery {
  const values: AuditLogQuery = {}
  for (const field of FIELDS) {
    const value = query[field]
    if (typeof value === 'string') values[field] = value.slice(0, 100)
  }
  const result = validateForm(auditLogQuerySchema, values, { from: 'from-day', to: 'to-day' })
  return result.ok
    ? { ok: true, filter: result.value, values }
    : { ok: false, errors: result.errors, values }
}

/** The query string that keeps the filters on the pagination links. */
export function filterQueryString(values: AuditLogQuery): string {
  const params = new URLSearchParams()
  for (const field of FIELDS) {
    const value = values[field]
    if (value) params.set(field, value)
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}
