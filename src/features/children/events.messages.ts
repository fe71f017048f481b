import { formatDate } from '../../views/format.ts'
import type { EventField, EventProblem } from './events.service.ts'

/*
 * The words for the problems with a change of circumstance on the history pages (ADR 7: the
 * rules in `events.service.ts` answer with codes and parameters; the words a person reads are
 * written once, here). The API says the same codes as problem details.
 */

/** How each date of a change is named inside a sentence. */
export const DATE_LABELS = {
  movedOn: 'the date of the move',
  changedOn: 'the date of the change',
  ceasedOn: 'the date they ceased to be in care',
} as const

const REQUIRED: Partial<Record<EventField, string>> = {
  placement: 'Enter the new placement',
  reason: 'Enter why they ceased to be in care',
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

const dateLabel = (field: EventField) =>
  capital(field in DATE_LABELS ? DATE_LABELS[field as keyof typeof DATE_LABELS] : 'the date')

/** The sentence for one problem, on the page's field. */
export function eventProblemText({ field, code, params = {} }: EventProblem): string {
  switch (code) {
    case 'required':
      return REQUIRED[field] ?? `Enter the ${field}`
    case 'school.not-found':
      return 'There is no open school with that URN'
    case 'school.current':
      return 'That is the school the child is at now'
    case 'date.future':
      return `${dateLabel(field)} must be today or in the past`
    case 'date.too-early':
      return `${dateLabel(field)} must be on or after ${
        params['after'] === 'current-school'
          ? `they started at their current school (${formatDate(String(params['date']))})`
          : 'they entered care'
      }`
    case 'owner.not-found':
      return 'Select the new record owner'
  }
}
