import type { CalendarDate } from '../../domain/calendar-date.ts'
import { academicYearOf } from '../../domain/timescales.ts'
import { FormProblems } from '../../forms/validation.ts'
import type { Query } from '../../shared/list-filters.ts'

/*
 * The annual report's question, from the query string: which academic year.
 */

/** The academic year asked for: a past one or this one, "2026" for 2026/27. */
export function readYear(query: Query, today: CalendarDate) {
  const asked = (Array.isArray(query.year) ? query.year[0] : query.year)?.trim() ?? ''
  const current = academicYearOf(today).startYear
  const problems = new FormProblems()
  let year = current
  if (asked) {
    year = Number(asked)
    if (!/^\d{4}$/.test(asked) || year < 2000)
      problems.add('year', 'Select an academic year from the list')
    else if (year > current)
      problems.add('year', 'The academic year must be this one or an earlier one')
  }
  return {
    asked: asked || String(current),
    year,
    errors: problems.any ? problems.errors : undefined,
  }
}
