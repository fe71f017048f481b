import type { CalendarDate } from './calendar-date.ts'
import { compareTerms, termOf, type Term } from './terms.ts'

/*
 * A form not completed within its term becomes the form for the following term (section 4 of
 * the domain brief): on the first day of a term, a PEP of an earlier term that is not signed off
 * moves to the new term, with a record of the move; nothing in it changes but its term.
 *
 * It stays where it is when it is signed off, when it is already in this term (or a later one),
 * and when the child has ceased to be in care (their record is read-only from then on). When the
 * child already has this term's PEP, the move is blocked: two PEPs for one term are not allowed
 * (an extra review after a change of school is the only exception, and such a review moves
 * freely), so the Virtual School is asked to decide what to do with the older one.
 */

export interface PepToMove {
  term: Term
  /** 'in_progress', 'awaiting_bso_check', 'awaiting_qa' or 'signed_off'. */
  status: string
  changeOfSchool: boolean
  childInCare: boolean
}

export type MoveDecision =
  { kind: 'stay' } | { kind: 'move'; to: Term } | { kind: 'blocked'; to: Term }

export function termMove(
  pep: PepToMove,
  today: CalendarDate,
  /** Whether the child already has a PEP (not an extra review) for today's term. */
  currentTermTaken: boolean,
): MoveDecision {
  const current = termOf(today)
  if (compareTerms(pep.term, current) >= 0) return { kind: 'stay' }
  if (pep.status === 'signed_off' || !pep.childInCare) return { kind: 'stay' }
  if (!pep.changeOfSchool && currentTermTaken) return { kind: 'blocked', to: current }
  return { kind: 'move', to: current }
}
