import { describe, expect, it } from 'vitest'
import { AUTHORITY_SETTING_DEFAULTS, isValidSetting } from '../../domain/authority-settings.ts'
import {
  parseClosureDay,
  parseQualityAssurance,
  parseReminders,
  parseTermWindows,
  parseTimescales,
  qualityAssuranceTyped,
  remindersTyped,
  termWindowsTyped,
  timescalesTyped,
} from './settings.form.ts'

const messages = (parsed: { ok: boolean; errors?: { list: { text: string; href: string }[] } }) =>
  parsed.ok ? [] : parsed.errors!.list.map((e) => `${e.href} ${e.text}`)

describe('term windows', () => {
  const valid = {
    'autumn-day': '7',
    'autumn-month': '12',
    'spring-day': '07',
    'spring-month': '03',
    'summer-day': ' 31 ',
    'summer-month': '8',
  }

  it('reads day and month for each term', () => {
    const parsed = parseTermWindows(valid)
    expect(parsed).toMatchObject({
      ok: true,
      value: { termWindows: { autumn: '12-07', spring: '03-07', summer: '08-31' } },
    })
    if (parsed.ok) expect(isValidSetting('termWindows', parsed.value.termWindows)).toBe(true)
  })

  it('shows the saved windows', () => {
    expect(termWindowsTyped(AUTHORITY_SETTING_DEFAULTS)).toEqual({
      'autumn-day': '7',
      'autumn-month': '12',
      'spring-day': '7',
      'spring-month': '3',
      'summer-day': '7',
      'summer-month': '7',
    })
    expect(parseTermWindows(termWindowsTyped(AUTHORITY_SETTING_DEFAULTS))).toMatchObject({
      ok: true,
      value: { termWindows: AUTHORITY_SETTING_DEFAULTS.termWindows },
    })
  })

  it('names the field in every message, and keeps what was typed', () => {
    const parsed = parseTermWindows({
      'autumn-day': '31',
      'autumn-month': '11',
      'spring-day': '31',
      'spring-month': '2',
      'summer-day': '',
      'summer-month': '',
    })
    expect(messages(parsed)).toEqual([
      '#autumn-day Autumn term deadline must be a real date',
      '#spring-day Spring term deadline must be a real date',
      '#summer-day Enter the summer term deadline',
    ])
    expect(parsed.typed['spring-day']).toBe('31')
  })

  it('keeps each deadline in its own term, and not on 29 February', () => {
    expect(
      messages(
        parseTermWindows({
          ...valid,
          'autumn-month': '3',
          'spring-day': '29',
          'spring-month': '2',
          'summer-day': '',
        }),
      ),
    ).toEqual([
      '#autumn-day Autumn term deadline must be between 1 September and 31 December',
      '#spring-day Spring term deadline must be a date in every year, so not 29 February',
      '#summer-day Summer term deadline must include a day',
    ])
    expect(messages(parseTermWindows({ ...valid, 'summer-month': '' }))).toEqual([
      '#summer-month Summer term deadline must include a month',
    ])
    expect(messages(parseTermWindows({ ...valid, 'autumn-day': 'seven' }))).toEqual([
      '#autumn-day Autumn term deadline must be a real date',
    ])
    expect(messages(parseTermWindows({ ...valid, 'autumn-day': ['1', '2'] }))).toEqual([
      '#autumn-day Autumn term deadline must include a day',
    ])
  })

  it('treats a missing body as blank', () => {
    expect(messages(parseTermWindows(undefined))).toHaveLength(3)
  })
})

describe('timescales', () => {
  const valid = timescalesTyped(AUTHORITY_SETTING_DEFAULTS)

  it('round-trips the defaults', () => {
    const parsed = parseTimescales(valid)
    expect(parsed.ok).toBe(true)
    if (parsed.ok)
      expect(parsed.value).toMatchObject({ delegationDue: { days: 14, unit: 'calendar' } })
  })

  it('reads the delegation due in working days', () => {
    const parsed = parseTimescales({
      ...valid,
      delegationDueDays: '10',
      delegationDueUnit: 'working',
    })
    expect(parsed.ok && parsed.value.delegationDue).toEqual({ days: 10, unit: 'working' })
  })

  it('gives min, max and whole-number messages naming the field', () => {
    expect(
      messages(
        parseTimescales({
          ...valid,
          initialPepInitiateWorkingDays: '0',
          initialPepMeetingWorkingDays: '2.5',
          socialWorkerDaysBeforeMeeting: '',
          targetDaysAfterMeeting: '-1',
          delegationDueDays: '61',
          delegationDueUnit: 'fortnights',
          maxMonthsBetweenReviews: '13',
        }),
      ),
    ).toEqual([
      '#initialPepInitiateWorkingDays Working days to initiate an initial PEP must be between 1 and 60',
      '#initialPepMeetingWorkingDays Working days to hold the initial PEP meeting must be a whole number, like 10',
      '#socialWorkerDaysBeforeMeeting Enter the number of days before the meeting for the social worker’s part',
      '#targetDaysAfterMeeting Days after the meeting for the target date must be between 0 and 60',
      '#delegationDueDays Days after the meeting for the school’s due date must be between 1 and 60',
      '#delegationDueUnit Select whether the school’s due date counts calendar days or working days',
      '#maxMonthsBetweenReviews Months between reviews must be between 1 and 12',
    ])
  })

  it('refuses an initial PEP meeting due before the PEP must be initiated', () => {
    expect(
      messages(
        parseTimescales({
          ...valid,
          initialPepInitiateWorkingDays: '15',
          initialPepMeetingWorkingDays: '10',
        }),
      ),
    ).toEqual([
      '#initialPepMeetingWorkingDays Working days to hold the initial PEP meeting must be at least the working days to initiate it',
    ])
  })
})

describe('reminders and escalations', () => {
  const valid = remindersTyped(AUTHORITY_SETTING_DEFAULTS)

  it('round-trips the defaults', () => {
    expect(parseReminders(valid)).toMatchObject({
      ok: true,
      value: { remindersOn: true, bulkStartNextTerm: false, reminderWorkingDaysBeforeDue: 2 },
    })
  })

  it('asks for each choice and number', () => {
    expect(
      messages(
        parseReminders({
          remindersOn: 'maybe',
          reminderWorkingDaysBeforeDue: '21',
          escalateToSocialWorkerAfterWorkingDays: '5',
          escalateToVirtualSchoolAfterWorkingDays: '4',
        }),
      ),
    ).toEqual([
      '#remindersOn Select whether to send reminders',
      '#reminderWorkingDaysBeforeDue Working days before the due date to remind the school must be between 0 and 20',
      '#bulkStartNextTerm Select whether to start next term’s PEPs on the first day of term',
      '#escalateToVirtualSchoolAfterWorkingDays Working days overdue before telling the Virtual School must be at least the working days before telling the social worker',
    ])
  })
})

describe('quality assurance', () => {
  it('round-trips the defaults, and takes a percentage typed with its sign', () => {
    expect(parseQualityAssurance(qualityAssuranceTyped(AUTHORITY_SETTING_DEFAULTS))).toMatchObject({
      ok: true,
      value: { bsoCheck: false, qaSamplePercent: 100 },
    })
    expect(
      parseQualityAssurance({
        bsoCheck: 'yes',
        qaSamplePercent: '25%',
        headSignsOffFrom: 'requires_improvement',
        attendanceTargetBelowPercent: '95%',
      }),
    ).toMatchObject({
      ok: true,
      value: {
        bsoCheck: true,
        qaSamplePercent: 25,
        headSignsOffFrom: 'requires_improvement',
        attendanceTargetBelowPercent: 95,
      },
    })
  })

  it('asks for the head’s line and the attendance line, naming each', () => {
    const parsed = parseQualityAssurance({
      bsoCheck: 'no',
      qaSamplePercent: '10',
      headSignsOffFrom: 'good',
      attendanceTargetBelowPercent: '',
    })
    expect(messages(parsed)).toEqual([
      '#headSignsOffFrom Select the rating from which only a Virtual School head signs a PEP off',
      '#attendanceTargetBelowPercent Enter the number of attendance percentage that needs a target',
    ])
    expect(parsed.typed.headSignsOffFrom).toBe('good')
  })

  it('refuses a percentage over 100', () => {
    const parsed = parseQualityAssurance({
      bsoCheck: 'no',
      qaSamplePercent: '101',
      headSignsOffFrom: 'inadequate',
      attendanceTargetBelowPercent: '90',
    })
    expect(messages(parsed)).toEqual([
      '#qaSamplePercent Percentage of PEPs to quality assure must be between 0 and 100',
    ])
    expect(parsed.typed.qaSamplePercent).toBe('101')
  })
})

describe('closure days', () => {
  const day = (d: string, m: string, y: string, description = 'Office closed') => ({
    'date-day': d,
    'date-month': m,
    'date-year': y,
    description,
  })
  const none = new Set<string>()

  it('reads a date and its description, exactly as typed', () => {
    expect(parseClosureDay(day('29', '12', '2026', ' Swyddfa ar gau 🎄 '), none)).toMatchObject({
      ok: true,
      value: { onDate: '2026-12-29', description: 'Swyddfa ar gau 🎄' },
    })
    // Weekends may be closure days: they change nothing, but do no harm.
    expect(parseClosureDay(day('26', '12', '2026'), none).ok).toBe(true)
  })

  it('refuses bank holidays and days already closed, naming the date', () => {
    expect(messages(parseClosureDay(day('25', '12', '2026'), none))).toEqual([
      '#date-day 25 December 2026 is already a bank holiday (Christmas Day)',
    ])
    expect(messages(parseClosureDay(day('28', '12', '2026'), none))).toEqual([
      '#date-day 28 December 2026 is already a bank holiday (Boxing Day (substitute day))',
    ])
    expect(messages(parseClosureDay(day('29', '12', '2026'), new Set(['2026-12-29'])))).toEqual([
      '#date-day 29 December 2026 is already a closure day',
    ])
  })

  it('refuses dates that are not real, and descriptions blank, long or with controls', () => {
    expect(messages(parseClosureDay(day('31', '2', '2027', ''), none))).toEqual([
      '#date-day The date of the closure day must be a real date',
      '#description Enter a description of the closure day',
    ])
    expect(messages(parseClosureDay(day('', '', ''), none))).toEqual([
      '#date-day Enter the date of the closure day',
    ])
    expect(messages(parseClosureDay(day('1', '1', '1999'), none))).toEqual([
      '#date-year The date of the closure day must be between 2000 and 2099',
    ])
    expect(messages(parseClosureDay(day('2', '1', '2027', 'x'.repeat(201)), none))).toEqual([
      '#description Description must be 200 characters or fewer',
    ])
    // 200 emoji are 200 characters (400 UTF-16 units).
    expect(parseClosureDay(day('2', '1', '2027', '🎄'.repeat(200)), none).ok).toBe(true)
    expect(messages(parseClosureDay(day('2', '1', '2027', 'a\u0000b'), none))).toEqual([
      '#description Description must not include control characters',
    ])
  })
})
