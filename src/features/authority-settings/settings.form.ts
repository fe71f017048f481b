import type { AuthoritySettings } from '../../domain/authority-settings.ts'
import { bankHolidayName } from '../../domain/bank-holidays.ts'
import { isCalendarDate, toCalendarDate, type CalendarDate } from '../../domain/calendar-date.ts'
import { readDateInput } from '../../forms/date-input.ts'
import { TERM_NAMES, termEnd, termStart, type TermName } from '../../domain/terms.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'
import { formatDate } from '../../views/format.ts'

/*
 * The settings pages' forms: what was posted, checked field by field with messages that name
 * the field, and turned into the settings to save. Every value typed comes back on error.
 */

export type Body = Record<string, unknown> | undefined
/** What the user typed, field by field, to show again. */
export type Typed = Record<string, string>

export type Parsed<T> =
  { ok: true; value: T; typed: Typed } | { ok: false; errors: FormErrors; typed: Typed }

/** A posted field as typed: a string, or '' for anything else (a missing or repeated field). */
function field(body: Body, name: string): string {
  const value = body?.[name]
  return typeof value === 'string' ? value : ''
}

function typedOf(body: Body, names: readonly string[]): Typed {
  return Object.fromEntries(names.map((name) => [name, field(body, name)]))
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

// ---------------------------------------------------------------------------------------------
// Term windows

/** Each term's months and its range in words ("1 September and 31 December"), from terms.ts. */
const TERM_MONTHS = Object.fromEntries(
  TERM_NAMES.map((name) => {
    const term = { academicYear: 2027, name }
    const [start, end] = [termStart(term), termEnd(term)]
    const month = (date: CalendarDate) => Number(date.slice(5, 7))
    const dayMonth = (date: CalendarDate) => formatDate(date).replace(/ \d{4}$/, '')
    return [
      name,
      { from: month(start), to: month(end), range: `${dayMonth(start)} and ${dayMonth(end)}` },
    ]
  }),
) as Record<TermName, { from: number; to: number; range: string }>

const WHOLE = /^\d{1,3}$/

export const TERM_WINDOW_FIELDS = TERM_NAMES.flatMap((t) => [`${t}-day`, `${t}-month`])

export function parseTermWindows(body: Body): Parsed<Pick<AuthoritySettings, 'termWindows'>> {
  const typed = typedOf(body, TERM_WINDOW_FIELDS)
  const problems = new FormProblems()
  const windows: Partial<Record<TermName, string>> = {}
  for (const term of TERM_NAMES) {
    const label = `${capitalise(term)} term deadline`
    const dayText = typed[`${term}-day`]!.trim()
    const monthText = typed[`${term}-month`]!.trim()
    const problem = (text: string, part: 'day' | 'month' = 'day') =>
      problems.add(term, text, `${term}-${part}`)
    if (!dayText && !monthText) problem(`Enter the ${term} term deadline`)
    else if (!dayText) problem(`${label} must include a day`)
    else if (!monthText) problem(`${label} must include a month`, 'month')
    else if (!WHOLE.test(dayText) || !WHOLE.test(monthText)) problem(`${label} must be a real date`)
    else {
      const [day, month] = [Number(dayText), Number(monthText)]
      const { from, to, range } = TERM_MONTHS[term]
      // Checked in a leap year, so that 29 February gets its own message.
      if (!isCalendarDate(toCalendarDate({ year: 2028, month, day })))
        problem(`${label} must be a real date`)
      else if (month < from || month > to) problem(`${label} must be between ${range}`)
      else if (month === 2 && day === 29)
        problem(`${label} must be a date in every year, so not 29 February`)
      else windows[term] = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
    }
  }
  if (problems.any) return { ok: false, errors: problems.errors, typed }
  return { ok: true, value: { termWindows: windows as Record<TermName, string> }, typed }
}

/** The form's values from saved settings: "7" and "12" for "12-07". */
export function termWindowsTyped(settings: AuthoritySettings): Typed {
  const typed: Typed = {}
  for (const term of TERM_NAMES) {
    const [month, day] = settings.termWindows[term].split('-')
    typed[`${term}-day`] = String(Number(day))
    typed[`${term}-month`] = String(Number(month))
  }
  return typed
}

// ---------------------------------------------------------------------------------------------
// Numbers and yes/no questions

interface NumberField {
  /** The field as a message names it: "working days to initiate an initial PEP". */
  name: string
  min: number
  max: number
}

function parseNumber(
  problems: FormProblems,
  typed: Typed,
  key: string,
  spec: NumberField,
): number | undefined {
  const text = typed[key]!.trim()
  const label = capitalise(spec.name)
  if (!text) problems.add(key, `Enter the number of ${spec.name}`)
  else if (!/^-?\d+$/.test(text)) problems.add(key, `${label} must be a whole number, like 10`)
  else {
    const value = Number(text)
    if (value < spec.min || value > spec.max)
      problems.add(key, `${label} must be between ${spec.min} and ${spec.max}`)
    else return value
  }
  return undefined
}

function parseYesNo(
  problems: FormProblems,
  typed: Typed,
  key: string,
  question: string,
): boolean | undefined {
  const value = typed[key]
  if (value === 'yes') return true
  if (value === 'no') return false
  problems.add(key, `Select whether ${question}`)
  return undefined
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no')

// ---------------------------------------------------------------------------------------------
// Timescales

const TIMESCALE_NUMBERS = {
  initialPepInitiateWorkingDays: {
    name: 'working days to initiate an initial PEP',
    min: 1,
    max: 60,
  },
  initialPepMeetingWorkingDays: {
    name: 'working days to hold the initial PEP meeting',
    min: 1,
    max: 60,
  },
  socialWorkerDaysBeforeMeeting: {
    name: 'days before the meeting for the social worker’s part',
    min: 0,
    max: 60,
  },
  targetDaysAfterMeeting: { name: 'days after the meeting for the target date', min: 0, max: 60 },
  delegationDueDays: { name: 'days after the meeting for the school’s due date', min: 1, max: 60 },
  maxMonthsBetweenReviews: { name: 'months between reviews', min: 1, max: 12 },
} as const satisfies Record<string, NumberField>

export const TIMESCALE_FIELDS = [...Object.keys(TIMESCALE_NUMBERS), 'delegationDueUnit']

type TimescaleSettings = Pick<
  AuthoritySettings,
  | 'initialPepInitiateWorkingDays'
  | 'initialPepMeetingWorkingDays'
  | 'socialWorkerDaysBeforeMeeting'
  | 'targetDaysAfterMeeting'
  | 'delegationDue'
  | 'maxMonthsBetweenReviews'
>

export function parseTimescales(body: Body): Parsed<TimescaleSettings> {
  const typed = typedOf(body, TIMESCALE_FIELDS)
  const problems = new FormProblems()
  const n: Partial<Record<keyof typeof TIMESCALE_NUMBERS, number>> = {}
  for (const [key, spec] of Object.entries(TIMESCALE_NUMBERS)) {
    n[key as keyof typeof TIMESCALE_NUMBERS] = parseNumber(problems, typed, key, spec)
    if (key === 'delegationDueDays') {
      const unit = typed.delegationDueUnit
      if (unit !== 'calendar' && unit !== 'working')
        problems.add(
          'delegationDueUnit',
          'Select whether the school’s due date counts calendar days or working days',
        )
    }
  }
  const initiate = n.initialPepInitiateWorkingDays
  const meeting = n.initialPepMeetingWorkingDays
  if (initiate !== undefined && meeting !== undefined && meeting < initiate)
    problems.add(
      'initialPepMeetingWorkingDays',
      'Working days to hold the initial PEP meeting must be at least the working days to initiate it',
    )
  if (problems.any) return { ok: false, errors: problems.errors, typed }
  return {
    ok: true,
    typed,
    value: {
      initialPepInitiateWorkingDays: initiate!,
      initialPepMeetingWorkingDays: meeting!,
      socialWorkerDaysBeforeMeeting: n.socialWorkerDaysBeforeMeeting!,
      targetDaysAfterMeeting: n.targetDaysAfterMeeting!,
      delegationDue: {
        days: n.delegationDueDays!,
        unit: typed.delegationDueUnit as 'calendar' | 'working',
      },
      maxMonthsBetweenReviews: n.maxMonthsBetweenReviews!,
    },
  }
}

export function timescalesTyped(settings: AuthoritySettings): Typed {
  return {
    initialPepInitiateWorkingDays: String(settings.initialPepInitiateWorkingDays),
    initialPepMeetingWorkingDays: String(settings.initialPepMeetingWorkingDays),
    socialWorkerDaysBeforeMeeting: String(settings.socialWorkerDaysBeforeMeeting),
    targetDaysAfterMeeting: String(settings.targetDaysAfterMeeting),
    delegationDueDays: String(settings.delegationDue.days),
    delegationDueUnit: settings.delegationDue.unit,
    maxMonthsBetweenReviews: String(settings.maxMonthsBetweenReviews),
  }
}

// ---------------------------------------------------------------------------------------------
// Reminders and escalations

const REMINDER_NUMBERS = {
  reminderWorkingDaysBeforeDue: {
    name: 'working days before the due date to remind the school',
    min: 0,
    max: 20,
  },
  escalateToSocialWorkerAfterWorkingDays: {
    name: 'working days overdue before telling the social worker',
    min: 0,
    max: 60,
  },
  escalateToVirtualSchoolAfterWorkingDays: {
    name: 'working days overdue before telling the Virtual School',
    min: 0,
    max: 60,
  },
} as const satisfies Record<string, NumberField>

export const REMINDER_FIELDS = [
  'remindersOn',
  ...Object.keys(REMINDER_NUMBERS),
  'bulkStartNextTerm',
]

type ReminderSettings = Pick<
  AuthoritySettings,
  | 'remindersOn'
  | 'reminderWorkingDaysBeforeDue'
  | 'escalateToSocialWorkerAfterWorkingDays'
  | 'escalateToVirtualSchoolAfterWorkingDays'
  | 'bulkStartNextTerm'
>

export function parseReminders(body: Body): Parsed<ReminderSettings> {
  const typed = typedOf(body, REMINDER_FIELDS)
  const problems = new FormProblems()
  const remindersOn = parseYesNo(problems, typed, 'remindersOn', 'to send reminders')
  const n: Partial<Record<keyof typeof REMINDER_NUMBERS, number>> = {}
  for (const [key, spec] of Object.entries(REMINDER_NUMBERS))
    n[key as keyof typeof REMINDER_NUMBERS] = parseNumber(problems, typed, key, spec)
  const bulkStartNextTerm = parseYesNo(
    problems,
    typed,
    'bulkStartNextTerm',
    'to start next term’s PEPs on the first day of term',
  )
  const toSw = n.escalateToSocialWorkerAfterWorkingDays
  const toVs = n.escalateToVirtualSchoolAfterWorkingDays
  if (toSw !== undefined && toVs !== undefined && toVs < toSw)
    problems.add(
      'escalateToVirtualSchoolAfterWorkingDays',
      'Working days overdue before telling the Virtual School must be at least the working days before telling the social worker',
    )
  if (problems.any) return { ok: false, errors: problems.errors, typed }
  return {
    ok: true,
    typed,
    value: {
      remindersOn: remindersOn!,
      reminderWorkingDaysBeforeDue: n.reminderWorkingDaysBeforeDue!,
      escalateToSocialWorkerAfterWorkingDays: toSw!,
      escalateToVirtualSchoolAfterWorkingDays: toVs!,
      bulkStartNextTerm: bulkStartNextTerm!,
    },
  }
}

export function remindersTyped(settings: AuthoritySettings): Typed {
  return {
    remindersOn: yesNo(settings.remindersOn),
    reminderWorkingDaysBeforeDue: String(settings.reminderWorkingDaysBeforeDue),
    escalateToSocialWorkerAfterWorkingDays: String(settings.escalateToSocialWorkerAfterWorkingDays),
    escalateToVirtualSchoolAfterWorkingDays: String(
      settings.escalateToVirtualSchoolAfterWorkingDays,
    ),
    bulkStartNextTerm: yesNo(settings.bulkStartNextTerm),
  }
}

// ---------------------------------------------------------------------------------------------
// Quality assurance

export const QA_FIELDS = [
  'bsoCheck',
  'qaSamplePercent',
  'headSignsOffFrom',
  'attendanceTargetBelowPercent',
]

type QaSettings = Pick<
  AuthoritySettings,
  'bsoCheck' | 'qaSamplePercent' | 'headSignsOffFrom' | 'attendanceTargetBelowPercent'
>

export function parseQualityAssurance(body: Body): Parsed<QaSettings> {
  const typed = typedOf(body, QA_FIELDS)
  const problems = new FormProblems()
  const bsoCheck = parseYesNo(
    problems,
    typed,
    'bsoCheck',
    'business support checks each PEP before quality assurance',
  )
  typed.qaSamplePercent = typed.qaSamplePercent!.replace(/%\s*$/, '')
  const percent = parseNumber(problems, typed, 'qaSamplePercent', {
    name: 'percentage of PEPs to quality assure',
    min: 0,
    max: 100,
  })
  const from = typed.headSignsOffFrom
  const headSignsOffFrom =
    from === 'inadequate' || from === 'requires_improvement' ? from : undefined
  if (!headSignsOffFrom)
    problems.add(
      'headSignsOffFrom',
      'Select the rating from which only a Virtual School head signs a PEP off',
    )
  typed.attendanceTargetBelowPercent = typed.attendanceTargetBelowPercent!.replace(/%\s*$/, '')
  const attendance = parseNumber(problems, typed, 'attendanceTargetBelowPercent', {
    name: 'attendance percentage that needs a target',
    min: 0,
    max: 100,
  })
  if (problems.any) return { ok: false, errors: problems.errors, typed }
  return {
    ok: true,
    typed,
    value: {
      bsoCheck: bsoCheck!,
      qaSamplePercent: percent!,
      headSignsOffFrom: headSignsOffFrom!,
      attendanceTargetBelowPercent: attendance!,
    },
  }
}

export function qualityAssuranceTyped(settings: AuthoritySettings): Typed {
  return {
    bsoCheck: yesNo(settings.bsoCheck),
    qaSamplePercent: String(settings.qaSamplePercent),
    headSignsOffFrom: settings.headSignsOffFrom,
    attendanceTargetBelowPercent: String(settings.attendanceTargetBelowPercent),
  }
}

// ---------------------------------------------------------------------------------------------
// Carers

export const CARER_FIELDS = ['carersEmailedSignedOffPep']

type CarerSettings = Pick<AuthoritySettings, 'carersEmailedSignedOffPep'>

export function parseCarers(body: Body): Parsed<CarerSettings> {
  const typed = typedOf(body, CARER_FIELDS)
  const problems = new FormProblems()
  const emailed = parseYesNo(
    problems,
    typed,
    'carersEmailedSignedOffPep',
    'to email carers when a PEP is signed off',
  )
  if (problems.any) return { ok: false, errors: problems.errors, typed }
  return { ok: true, typed, value: { carersEmailedSignedOffPep: emailed! } }
}

export function carersTyped(settings: AuthoritySettings): Typed {
  return { carersEmailedSignedOffPep: yesNo(settings.carersEmailedSignedOffPep) }
}

// ---------------------------------------------------------------------------------------------
// Closure days

export const CLOSURE_DAY_FIELDS = ['date-day', 'date-month', 'date-year', 'description']
export const DESCRIPTION_MAX = 200
// PostgreSQL cannot store NUL, and a one-line description has no use for other controls.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F]/

export function parseClosureDay(
  body: Body,
  existing: ReadonlySet<CalendarDate>,
): Parsed<{ onDate: CalendarDate; description: string }> {
  const typed = typedOf(body, CLOSURE_DAY_FIELDS)
  const problems = new FormProblems()
  let onDate: CalendarDate | undefined
  const date = readDateInput(body, 'date', 'the date of the closure day')
  const problem = (text: string, part = 'day') => problems.add('date', text, `date-${part}`)
  if (!date.ok) problem(date.error, date.part)
  else if (date.value < '2000-01-01' || date.value > '2099-12-31')
    problem('The date of the closure day must be between 2000 and 2099', 'year')
  else if (bankHolidayName(date.value))
    problem(`${formatDate(date.value)} is already a bank holiday (${bankHolidayName(date.value)})`)
  else if (existing.has(date.value)) problem(`${formatDate(date.value)} is already a closure day`)
  else onDate = date.value
  const description = typed.description!.trim()
  if (!description) problems.add('description', 'Enter a description of the closure day')
  else if ([...description].length > DESCRIPTION_MAX)
    problems.add('description', `Description must be ${DESCRIPTION_MAX} characters or fewer`)
  else if (CONTROL_CHARACTERS.test(description))
    problems.add('description', 'Description must not include control characters')
  if (problems.any || !onDate) return { ok: false, errors: problems.errors, typed }
  return { ok: true, typed, value: { onDate, description } }
}
