/* Dates as people in English councils write them: "23 November 2026", times in UK local time. */
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})
const londonDateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
})
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
})

/** A calendar date ('YYYY-MM-DD'), or the day of an instant in England, as "23 November 2026". */
export function formatDate(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  if (typeof value !== 'string')
    return Number.isNaN(value.getTime()) ? '' : londonDateFormat.format(value)
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`)
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date)
}

/** An instant as "23 November 2026 at 2:05pm" in UK time. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  const date = typeof value === 'string' ? new Date(value) : value
  if (Number.isNaN(date.getTime())) return ''
  const parts = dateTimeFormat.formatToParts(date)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('day')} ${get('month')} ${get('year')} at ${get('hour')}:${get('minute')}${get('dayPeriod').toLowerCase()}`
}

/** A count with its noun, singular for one: "1 line", "2 lines", "1,250 lines". */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`
}
