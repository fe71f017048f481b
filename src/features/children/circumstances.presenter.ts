import type { CalendarDate } from '../../domain/calendar-date.ts'
import { inCircumstanceOn, type CircumstanceKind } from '../../domain/education-circumstance.ts'
import {
  CIRCUMSTANCE_FORM_TITLES,
  CIRCUMSTANCE_NAMES,
  CIRCUMSTANCE_SHORT,
} from '../../forms/circumstance-messages.ts'
import { paths } from '../../paths.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import type { CircumstanceRow } from './circumstances.repository.ts'

type Named = { firstName: string; lastName: string }
const named = (child: Named) => `${child.firstName} ${child.lastName}`

/** The titles of the circumstances pages, each naming the child. */
export const CIRCUMSTANCE_PAGE_TITLES = {
  list: (child: Named) => `Provision and timetable – ${named(child)}`,
  add: (kind: CircumstanceKind, child: Named) =>
    `${CIRCUMSTANCE_FORM_TITLES[kind]} – ${named(child)}`,
  end: (child: Named) => `Record the last day – ${named(child)}`,
}

/** The child's circumstances page: every period, the latest first, and what holds today. */
export function presentCircumstances(
  childId: string,
  rows: readonly CircumstanceRow[],
  today: CalendarDate,
  canRecord: boolean,
) {
  return {
    current: currentCircumstances(rows, today),
    periods: rows.map((r) => ({
      kind: CIRCUMSTANCE_NAMES[r.kind],
      detail:
        r.kind === 'alternative_provision'
          ? r.provider
          : r.kind === 'part_time'
            ? `${r.hoursPerWeek} hours a week: ${r.reason}`
            : '',
      from: formatDate(r.startsOn),
      to: r.endsOn ? formatDate(r.endsOn) : 'Not recorded',
      recorded: `${r.recordedBy ?? 'The service'}, ${formatDateTime(r.recordedAt)}${
        r.endedAt
          ? `; last day recorded by ${r.endedBy ?? 'the service'}, ${formatDateTime(r.endedAt)}`
          : ''
      }`,
      endHref:
        canRecord && r.endsOn === null ? paths.children.endCircumstance(childId, r.id) : null,
    })),
  }
}

/** What holds on `today`, in words, for the record page and the circumstances page. */
export function currentCircumstances(rows: readonly CircumstanceRow[], today: CalendarDate) {
  return rows
    .filter((r) => inCircumstanceOn(r, today))
    .map((r) => {
      const detail =
        r.kind === 'alternative_provision'
          ? ` at ${r.provider}`
          : r.kind === 'part_time'
            ? ` of ${r.hoursPerWeek} hours a week`
            : ''
      const to = r.endsOn ? ` to ${formatDate(r.endsOn)}` : ''
      return `${CIRCUMSTANCE_SHORT[r.kind]}${detail}, from ${formatDate(r.startsOn)}${to}`
    })
}
