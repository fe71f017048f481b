import { parseCalendarDate, toCalendarDate, type CalendarDate } from '../domain/calendar-date.ts'

/** What someone typed into a GOV.UK date input, kept to show back on an error. */
export interface DateInputValues {
  day: string
  month: string
  year: string
}

export type DateInputResult =
  | { ok: true; value: CalendarDate; typed: DateInputValues }
  | { ok: false; error: string; typed: DateInputValues; part: 'day' | 'month' | 'year' }

const field = (body: Record<string, unknown>, name: string) => {
  const value = body[name]
  return typeof value === 'string' ? value.trim().slice(0, 10) : ''
}

/**
 * Reads the three boxes of a GOV.UK date input named `${prefix}-day`, `-month`, `-year` and
 * gives the design system's messages: "Enter …", "… must include a month", "… must be a real date".
 * `label` is how the message names the date, e.g. "the date they entered care".
 */
export function readDateInput(
  body: Record<string, unknown> | undefined,
  prefix: string,
  label: string,
): DateInputResult {
  const typed = {
    day: field(body ?? {}, `${prefix}-day`),
    month: field(body ?? {}, `${prefix}-month`),
    year: field(body ?? {}, `${prefix}-year`),
  }
  const capital = label.charAt(0).toUpperCase() + label.slice(1)
  if (!typed.day && !typed.month && !typed.year)
    return { ok: false, error: `Enter ${label}`, typed, part: 'day' }
  for (const part of ['day', 'month', 'year'] as const) {
    if (!typed[part]) return { ok: false, error: `${capital} must include a ${part}`, typed, part }
  }
  const [day, month, year] = [Number(typed.day), Number(typed.month), Number(typed.year)]
  if (![day, month, year].every(Number.isInteger) || typed.year.length !== 4) {
    return { ok: false, error: `${capital} must be a real date`, typed, part: 'day' }
  }
  const value = toCalendarDate({ year, month, day })
  if (!parseCalendarDate(value))
    return { ok: false, error: `${capital} must be a real date`, typed, part: 'day' }
  return { ok: true, value, typed }
}
