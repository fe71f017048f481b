import { parseCalendarDate, type CalendarDate } from './calendar-date.ts'

/*
 * School terms as the PEP counts them (section 4 of the domain brief, the defaults): autumn
 * 1 September - 31 December, spring 1 January - 31 March, summer 1 April - 31 August. A term
 * belongs to the academic year that starts in its September.
 */

export const TERM_NAMES = ['autumn', 'spring', 'summer'] as const
export type TermName = (typeof TERM_NAMES)[number]

export interface Term {
  /** The calendar year the academic year starts in: 2026 for 2026/27. */
  academicYear: number
  name: TermName
}

export function isTermName(value: unknown): value is TermName {
  return typeof value === 'string' && (TERM_NAMES as readonly string[]).includes(value)
}

export function termOf(date: CalendarDate): Term {
  const parts = parseCalendarDate(date)
  if (!parts) throw new RangeError(`Not a calendar date: ${date}`)
  if (parts.month >= 9) return { academicYear: parts.year, name: 'autumn' }
  if (parts.month <= 3) return { academicYear: parts.year - 1, name: 'spring' }
  return { academicYear: parts.year - 1, name: 'summer' }
}

export function termStart(term: Term): CalendarDate {
  if (term.name === 'autumn') return `${term.academicYear}-09-01`
  return `${term.academicYear + 1}-${term.name === 'spring' ? '01' : '04'}-01`
}

export function termEnd(term: Term): CalendarDate {
  if (term.name === 'autumn') return `${term.academicYear}-12-31`
  return `${term.academicYear + 1}-${term.name === 'spring' ? '03-31' : '08-31'}`
}

export function nextTerm(term: Term): Term {
  if (term.name === 'autumn') return { academicYear: term.academicYear, name: 'spring' }
  if (term.name === 'spring') return { academicYear: term.academicYear, name: 'summer' }
  return { academicYear: term.academicYear + 1, name: 'autumn' }
}

export function previousTerm(term: Term): Term {
  if (term.name === 'summer') return { academicYear: term.academicYear, name: 'spring' }
  if (term.name === 'spring') return { academicYear: term.academicYear, name: 'autumn' }
  return { academicYear: term.academicYear - 1, name: 'summer' }
}

/** Negative, zero or positive as `a` comes before, with or after `b`. */
export function compareTerms(a: Term, b: Term): number {
  return a.academicYear - b.academicYear || TERM_NAMES.indexOf(a.name) - TERM_NAMES.indexOf(b.name)
}

/** The calendar year a term falls in: 2027 for the spring term of 2026/27. */
const calendarYear = (term: Term) =>
  term.name === 'autumn' ? term.academicYear : term.academicYear + 1

/** "Autumn term 2026", "Spring term 2027". */
export function termLabel(term: Term): string {
  return `${term.name.charAt(0).toUpperCase()}${term.name.slice(1)} term ${calendarYear(term)}`
}

/** A term as one URL- and form-safe value named as people say it, "2027-spring", and back. */
export const termKey = (term: Term) => `${calendarYear(term)}-${term.name}`

export function parseTermKey(value: unknown): Term | undefined {
  if (typeof value !== 'string') return undefined
  const match = /^(\d{4})-(autumn|spring|summer)$/.exec(value)
  if (!match) return undefined
  const name = match[2] as TermName
  const year = Number(match[1])
  return { academicYear: name === 'autumn' ? year : year - 1, name }
}

export function sameTerm(a: Term, b: Term): boolean {
  return compareTerms(a, b) === 0
}
