import { ageOn, parseCalendarDate, type CalendarDate } from './calendar-date.ts'

/*
 * Year groups, key stages and form types, from the English academic year: a child's year group
 * is set by their age on 31 August before the school year starts.
 */

export const YEAR_GROUPS = [
  'N',
  'R',
  'Y1',
  'Y2',
  'Y3',
  'Y4',
  'Y5',
  'Y6',
  'Y7',
  'Y8',
  'Y9',
  'Y10',
  'Y11',
  'Y12',
  'Y13',
] as const
export type YearGroup = (typeof YEAR_GROUPS)[number]

export type YearGroupResult =
  { kind: 'year'; yearGroup: YearGroup } | { kind: 'too-young' } | { kind: 'beyond-year-13' }

export const YEAR_GROUP_NAMES: Record<YearGroup, string> = {
  N: 'Nursery',
  R: 'Reception',
  Y1: 'Year 1',
  Y2: 'Year 2',
  Y3: 'Year 3',
  Y4: 'Year 4',
  Y5: 'Year 5',
  Y6: 'Year 6',
  Y7: 'Year 7',
  Y8: 'Year 8',
  Y9: 'Year 9',
  Y10: 'Year 10',
  Y11: 'Year 11',
  Y12: 'Year 12',
  Y13: 'Year 13',
}

export function isYearGroup(value: unknown): value is YearGroup {
  return typeof value === 'string' && (YEAR_GROUPS as readonly string[]).includes(value)
}

/** The calendar year in which the academic year containing `on` started (1 September). */
export function academicYearStart(on: CalendarDate): number {
  const parts = parseCalendarDate(on)
  if (!parts) throw new RangeError(`Not a calendar date: ${on}`)
  return parts.month >= 9 ? parts.year : parts.year - 1
}

/**
 * The year group a child is in on a date. An override (a child taught out of their
 * chronological year) wins over the date of birth.
 */
export function yearGroupOn(
  dateOfBirth: CalendarDate,
  on: CalendarDate,
  override?: YearGroup | null,
): YearGroupResult {
  if (override) return { kind: 'year', yearGroup: override }
  const age = ageOn(dateOfBirth, `${academicYearStart(on)}-08-31`)
  if (age < 2) return { kind: 'too-young' }
  if (age <= 3) return { kind: 'year', yearGroup: 'N' }
  if (age === 4) return { kind: 'year', yearGroup: 'R' }
  if (age <= 17) return { kind: 'year', yearGroup: `Y${age - 4}` as YearGroup }
  return { kind: 'beyond-year-13' }
}

export type KeyStage = 'EYFS' | 'KS1' | 'KS2' | 'KS3' | 'KS4' | 'KS5'

export const KEY_STAGE_NAMES: Record<KeyStage, string> = {
  EYFS: 'Early years',
  KS1: 'Key stage 1',
  KS2: 'Key stage 2',
  KS3: 'Key stage 3',
  KS4: 'Key stage 4',
  KS5: 'Key stage 5 (post-16)',
}

export function keyStageOf(yearGroup: YearGroup): KeyStage {
  const index = YEAR_GROUPS.indexOf(yearGroup)
  if (index <= 1) return 'EYFS'
  if (index <= 3) return 'KS1'
  if (index <= 7) return 'KS2'
  if (index <= 10) return 'KS3'
  if (index <= 12) return 'KS4'
  return 'KS5'
}

export type FormType =
  'early_years' | 'primary' | 'secondary' | 'post_16' | 'primary_special' | 'secondary_special'

export const FORM_TYPE_NAMES: Record<FormType, string> = {
  early_years: 'Early Years',
  primary: 'Primary',
  secondary: 'Secondary',
  post_16: 'Post-16',
  primary_special: 'Primary Special',
  secondary_special: 'Secondary Special',
}

/** The PEP form a child needs, from their year group and whether their setting is a special school. */
export function formTypeFor(yearGroup: YearGroup, atSpecialSchool: boolean): FormType {
  const index = YEAR_GROUPS.indexOf(yearGroup)
  if (index <= 1) return 'early_years'
  if (index <= 7) return atSpecialSchool ? 'primary_special' : 'primary'
  if (index <= 12) return atSpecialSchool ? 'secondary_special' : 'secondary'
  return atSpecialSchool ? 'secondary_special' : 'post_16'
}

/**
 * The dates of birth of children in a year group on a date (unless held out of year): the
 * inverse of yearGroupOn, so lists can filter by year group with an index on date of birth.
 */
export function birthDateRangeFor(
  yearGroup: YearGroup,
  on: CalendarDate,
): { from: CalendarDate; to: CalendarDate } {
  const start = academicYearStart(on)
  const index = YEAR_GROUPS.indexOf(yearGroup)
  // Reception (index 1) are 4 on 31 August: born 1 September start-5 to 31 August start-4.
  const youngestAge = index === 0 ? 2 : index + 3
  const oldestAge = index === 0 ? 3 : youngestAge
  return { from: `${start - oldestAge - 1}-09-01`, to: `${start - youngestAge}-08-31` }
}
