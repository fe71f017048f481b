import { z } from 'zod'

/*
 * Each authority's timescales and switches (section 4 of the domain brief). Every one has the
 * brief's default; an authority's Virtual School administrators change them on the settings
 * pages. Stored one row per key in `authority_setting`; a missing or unreadable row means the
 * default, so a new authority works the day it is created.
 */

/** A day of the year as "MM-DD", e.g. "12-07" for 7 December. */
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)

const SCHEMAS = {
  /** The Virtual School's submission deadline ("PEP window") in each term. */
  termWindows: z.object({ autumn: monthDay, spring: monthDay, summer: monthDay }),
  /** Initial PEP: initiated within this many working days of entering care. */
  initialPepInitiateWorkingDays: z.number().int().min(1).max(60),
  /** Initial PEP: meeting held within this many working days of entering care. */
  initialPepMeetingWorkingDays: z.number().int().min(1).max(60),
  /** The social worker completes their part at least this many days before the meeting. */
  socialWorkerDaysBeforeMeeting: z.number().int().min(0).max(60),
  /** The target date for completing the PEP: this many days after the meeting. */
  targetDaysAfterMeeting: z.number().int().min(0).max(60),
  /** The school's due date when sections are delegated, counted from the meeting. */
  delegationDue: z.object({
    days: z.number().int().min(1).max(60),
    unit: z.enum(['calendar', 'working']),
  }),
  /** Remind the school this many working days before its due date (and on the meeting day). */
  reminderWorkingDaysBeforeDue: z.number().int().min(0).max(20),
  /** Overdue by this many working days: escalate to the social worker. */
  escalateToSocialWorkerAfterWorkingDays: z.number().int().min(0).max(60),
  /** Overdue by this many working days: escalate to the Virtual School. */
  escalateToVirtualSchoolAfterWorkingDays: z.number().int().min(0).max(60),
  /** Reviews are never more than this many months apart. */
  maxMonthsBetweenReviews: z.number().int().min(1).max(12),
  /** Reminders and escalations by tray and email. */
  remindersOn: z.boolean(),
  /** Start next term's PEP for every child in care on the first day of the term. */
  bulkStartNextTerm: z.boolean(),
  /** Business support checks a submitted PEP before the Virtual School's quality assurance. */
  bsoCheck: z.boolean(),
  /** The share of submitted PEPs that the Virtual School quality assures (the rest sign off). */
  qaSamplePercent: z.number().int().min(0).max(100),
  /** The overall rating from which only a Virtual School head signs a PEP off, with a reason. */
  headSignsOffFrom: z.enum(['inadequate', 'requires_improvement']),
  /** Attendance below this percentage: Section B needs a target on attendance. */
  attendanceTargetBelowPercent: z.number().int().min(0).max(100),
  /** A PEP signed off emails the carers with access to the child a link to sign in (issue 20). */
  carersEmailedSignedOffPep: z.boolean(),
}

export type AuthoritySettingKey = keyof typeof SCHEMAS
export type AuthoritySettings = { [K in AuthoritySettingKey]: z.infer<(typeof SCHEMAS)[K]> }

export const AUTHORITY_SETTING_DEFAULTS: AuthoritySettings = {
  termWindows: { autumn: '12-07', spring: '03-07', summer: '07-07' },
  initialPepInitiateWorkingDays: 10,
  initialPepMeetingWorkingDays: 20,
  socialWorkerDaysBeforeMeeting: 10,
  targetDaysAfterMeeting: 7,
  delegationDue: { days: 14, unit: 'calendar' },
  reminderWorkingDaysBeforeDue: 2,
  escalateToSocialWorkerAfterWorkingDays: 1,
  escalateToVirtualSchoolAfterWorkingDays: 5,
  maxMonthsBetweenReviews: 6,
  remindersOn: true,
  bulkStartNextTerm: false,
  bsoCheck: false,
  qaSamplePercent: 100,
  headSignsOffFrom: 'inadequate',
  attendanceTargetBelowPercent: 90,
  carersEmailedSignedOffPep: true,
}

export const AUTHORITY_SETTING_KEYS = Object.keys(SCHEMAS) as AuthoritySettingKey[]

export function isAuthoritySettingKey(key: string): key is AuthoritySettingKey {
  return Object.hasOwn(SCHEMAS, key)
}

/** Whether `value` is a valid value for `key` (the settings pages validate their own fields). */
export function isValidSetting<K extends AuthoritySettingKey>(
  key: K,
  value: unknown,
): value is AuthoritySettings[K] {
  return SCHEMAS[key].safeParse(value).success
}

/** The settings from stored rows: each key valid as stored, or its default. */
export function readAuthoritySettings(stored: Record<string, unknown>): AuthoritySettings {
  const settings = { ...AUTHORITY_SETTING_DEFAULTS }
  for (const key of AUTHORITY_SETTING_KEYS) {
    const parsed = SCHEMAS[key].safeParse(stored[key])
    if (parsed.success) (settings as Record<string, unknown>)[key] = parsed.data
  }
  return settings
}
