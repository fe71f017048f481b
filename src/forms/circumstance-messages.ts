import type {
  Circumstance,
  CircumstanceKind,
  CircumstanceProblem,
} from '../domain/education-circumstance.ts'

/*
 * The words for a child's education circumstances (issue 17): their names, the rule's problems
 * and the line the child's events keep. Written once, for the forms, the record and the lists.
 */

export const CIRCUMSTANCE_NAMES: Record<CircumstanceKind, string> = {
  alternative_provision: 'Alternative provision',
  part_time: 'Part-time timetable',
  neet: 'Not in education, employment or training (NEET)',
}

/** The short words a tag or a column heading uses. */
export const CIRCUMSTANCE_SHORT: Record<CircumstanceKind, string> = {
  alternative_provision: 'In alternative provision',
  part_time: 'On a part-time timetable',
  neet: 'NEET (post-16)',
}

/** What a form's heading asks to record. */
export const CIRCUMSTANCE_FORM_TITLES: Record<CircumstanceKind, string> = {
  alternative_provision: 'Record alternative provision',
  part_time: 'Record a part-time timetable',
  neet: 'Record that the young person is not in education, employment or training',
}

const FIELD_NAMES = {
  startsOn: 'the first day',
  endsOn: 'the last day',
  provider: 'the provider’s name',
  hoursPerWeek: 'the hours a week',
  reason: 'the reason for the part-time timetable',
} as const

export function circumstanceMessage(problem: CircumstanceProblem): string {
  const name = FIELD_NAMES[problem.field]
  const capital = name.charAt(0).toUpperCase() + name.slice(1)
  const p = problem.params ?? {}
  switch (problem.code) {
    case 'circumstance.date-missing':
      return `Enter ${name}`
    case 'circumstance.date-invalid':
      return `${capital} must be a real date`
    case 'circumstance.starts-too-far-ahead':
      return `The first day must be within ${p['days']} days from today`
    case 'circumstance.starts-in-future':
      return 'The first day must be today or in the past'
    case 'circumstance.ends-in-future':
      return 'The last day must be today or in the past'
    case 'circumstance.ends-before-start':
      return 'The last day must be the same as or after the first day'
    case 'circumstance.not-post-16':
      return 'NEET is for young people in year 12 or later: they must be 16 or over on the 31 August before the first day'
    case 'circumstance.provider-missing':
      return 'Enter the provider’s name'
    case 'circumstance.provider-too-long':
      return `The provider’s name must be ${p['max']} characters or fewer`
    case 'circumstance.hours-missing':
      return 'Enter the hours a week'
    case 'circumstance.hours-not-number':
      return 'The hours a week must be a number greater than 0, like 15 or 12.5'
    case 'circumstance.hours-not-part-time':
      return `The hours a week must be fewer than a full-time week of ${p['full']} hours`
    case 'circumstance.reason-missing':
      return 'Enter the reason for the part-time timetable'
    case 'circumstance.reason-too-long':
      return `The reason must be ${p['max']} characters or fewer`
  }
}

/** What a refused save says, for the service's codes. */
export const CIRCUMSTANCE_REFUSALS = {
  'circumstance.overlaps':
    'This overlaps a period of the same kind already recorded: record the last day of that one first, or choose other dates',
  'circumstance.not-found': 'That period was not found',
  'circumstance.already-ended': 'Someone has already recorded the last day of this period',
} as const

/** The line kept in the child's events (dates already in words). */
export function circumstanceSummary(
  c: Pick<Circumstance, 'kind' | 'provider' | 'hoursPerWeek'>,
  from: string,
  to: string | null,
): string {
  const what =
    c.kind === 'alternative_provision'
      ? `Alternative provision at ${c.provider}`
      : c.kind === 'part_time'
        ? `Part-time timetable of ${c.hoursPerWeek} hours a week`
        : 'Not in education, employment or training'
  return to ? `${what} from ${from} to ${to}` : `${what} from ${from}`
}
