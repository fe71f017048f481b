import { AUTHORITY_SETTING_DEFAULTS } from './authority-settings.ts'
import type { CalendarDate } from './calendar-date.ts'
import { workingDaysAfter } from './working-days.ts'

/*
 * The initial PEP: the first PEP of a child who has just entered care. It is flagged so the
 * Virtual School can see it was held within the statutory 20 working days (the authority's
 * setting initialPepMeetingWorkingDays). Working days skip weekends, bank holidays and the
 * authority's closure days.
 */

/** A child's first PEP is their initial PEP if they entered care within this many working days. */
export const INITIAL_PEP_WORKING_DAYS = AUTHORITY_SETTING_DEFAULTS.initialPepMeetingWorkingDays

/**
 * Whether a PEP started `today` is the child's initial PEP: they have no earlier PEP and entered
 * care no more than `workingDays` (default 20) working days ago. A date of entering care still
 * to come counts as entering now (their first PEP may be started before the day they come into
 * care).
 */
export function isInitialPep(facts: {
  enteredCareOn: CalendarDate
  today: CalendarDate
  hasEarlierPep: boolean
  /** The authority's initialPepMeetingWorkingDays. */
  workingDays?: number
  /** The authority's closure days. */
  closures?: ReadonlySet<CalendarDate>
}): boolean {
  if (facts.hasEarlierPep) return false
  const limit = facts.workingDays ?? INITIAL_PEP_WORKING_DAYS
  return workingDaysAfter(facts.enteredCareOn, facts.today, facts.closures) <= limit
}
