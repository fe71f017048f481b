import type { CalendarDate } from './calendar-date.ts'
import { signOffNeedsReason, type PepFacts, type Transition } from './pep-workflow.ts'
import { dueDateNeedsReason } from './timescales.ts'

/*
 * The small pure rules of each step of a PEP's life, beyond the state machine's decision
 * (`decide` in pep-workflow.ts): what a step needs said before it is taken, and what it reopens.
 * The workflow service runs one small function per step over these (features/peps/workflow.service.ts).
 */

/** Why a step the state machine allows still cannot be taken as asked (ADR 7: a code). */
export type StepRefusal = 'step.sign-off-reason' | 'step.late-school-part-reason'

/**
 * Why a step's own function refused, on what it found under the PEP's lock: none of the pages
 * chosen is still open, the person chosen has left the school's staff, no colleague chosen to
 * give pages to, a page chosen already with a colleague (`page`, `holder`), or no page chosen.
 */
export type StepCheck =
  | 'step.no-open-pages'
  | 'step.delegate-gone'
  | 'step.no-colleague'
  | 'step.page-taken'
  | 'step.no-pages-chosen'

/**
 * A reason the step needs and was not given: signing off a PEP rated where the head signs off,
 * and delegating the school's part due after a target date still ahead. Blank comments are none.
 */
export function missingReason(
  transition: Transition,
  facts: PepFacts,
  asked: { comments?: string | undefined; dueOn?: CalendarDate | undefined },
  targetOn: CalendarDate | null,
): StepRefusal | undefined {
  if (asked.comments?.trim()) return undefined
  if (transition === 'sign-off' && signOffNeedsReason(facts)) return 'step.sign-off-reason'
  if (
    transition === 'delegate' &&
    asked.dueOn !== undefined &&
    dueDateNeedsReason(asked.dueOn, targetOn, facts.today)
  )
    return 'step.late-school-part-reason'
  return undefined
}

/** The sections a return reopens: those asked for that the PEP has, never quality assurance (D). */
export function sectionsToReopen(
  asked: readonly string[] | undefined,
  sections: readonly string[],
): string[] {
  return (asked ?? []).filter((s) => s !== 'D' && sections.includes(s))
}

/** Whether a return reopens any of the school's sections (so the school's part goes back to it). */
export function reopensSchoolPart(
  reopened: readonly string[],
  schoolSections: readonly string[],
): boolean {
  return reopened.some((s) => schoolSections.includes(s))
}

/** The colleague a school's part is passed on to: on the school's staff now, and not oneself. */
export function colleagueFor<Person extends { id: string }>(
  staff: readonly Person[],
  chosenId: string | undefined,
  selfId: string,
): Person | undefined {
  return staff.find((p) => p.id === chosenId && p.id !== selfId)
}
