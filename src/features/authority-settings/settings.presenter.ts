import type { AuthoritySettings } from '../../domain/authority-settings.ts'
import { TERM_NAMES } from '../../domain/terms.ts'
import { formatDate } from '../../views/format.ts'
import { paths } from '../../paths.ts'
import type { ClosureDay } from './closure-days.repository.ts'

/*
 * The settings overview as GOV.UK summary cards: every setting, in words, with a link to the
 * page that changes it.
 */

export interface SummaryRow {
  key: string
  /** One line, or several (shown as a list). */
  value: string | string[]
  /** The page that changes it; its link reads "Change " and the key. */
  changeHref: string
}

export interface SummaryCard {
  title: string
  rows: SummaryRow[]
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/** "12-07" as "7 December". */
export function monthDayLabel(monthDay: string): string {
  const [month, day] = monthDay.split('-').map(Number) as [number, number]
  return `${day} ${MONTHS[month - 1]}`
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`
const onOff = (on: boolean) => (on ? 'On' : 'Off')

const withChange = (changeHref: string, rows: Omit<SummaryRow, 'changeHref'>[]): SummaryRow[] =>
  rows.map((row) => ({ ...row, changeHref }))

export function settingsCards(
  settings: AuthoritySettings,
  closureDays: readonly ClosureDay[],
  href: {
    termWindows: string
    timescales: string
    reminders: string
    qualityAssurance: string
    carers: string
    closureDays: string
  },
): SummaryCard[] {
  const due = settings.delegationDue
  return [
    {
      title: 'Term windows',
      rows: TERM_NAMES.map((term) => ({
        key: `${term.charAt(0).toUpperCase()}${term.slice(1)} term deadline`,
        value: monthDayLabel(settings.termWindows[term]),
        changeHref: href.termWindows,
      })),
    },
    {
      title: 'Timescales',
      rows: withChange(href.timescales, [
        {
          key: 'Initiate an initial PEP',
          value: `Within ${plural(settings.initialPepInitiateWorkingDays, 'working day')} of entering care`,
        },
        {
          key: 'Hold the initial PEP meeting',
          value: `Within ${plural(settings.initialPepMeetingWorkingDays, 'working day')} of entering care`,
        },
        {
          key: 'Social worker’s part',
          value: `${plural(settings.socialWorkerDaysBeforeMeeting, 'day')} before the meeting`,
        },
        {
          key: 'Target date',
          value: `${plural(settings.targetDaysAfterMeeting, 'day')} after the meeting`,
        },
        {
          key: 'School’s due date',
          value: `${plural(due.days, due.unit === 'working' ? 'working day' : 'calendar day')} after the meeting`,
        },
        {
          key: 'Time between reviews',
          value: `No more than ${plural(settings.maxMonthsBetweenReviews, 'month')}`,
        },
      ]),
    },
    {
      title: 'Reminders and escalations',
      rows: withChange(href.reminders, [
        { key: 'Reminders and escalations', value: onOff(settings.remindersOn) },
        {
          key: 'Remind the school',
          value: `${plural(settings.reminderWorkingDaysBeforeDue, 'working day')} before its due date, and on the day of the meeting`,
        },
        {
          key: 'Tell the social worker',
          value: `When ${plural(settings.escalateToSocialWorkerAfterWorkingDays, 'working day')} overdue`,
        },
        {
          key: 'Tell the Virtual School',
          value: `When ${plural(settings.escalateToVirtualSchoolAfterWorkingDays, 'working day')} overdue`,
        },
        {
          key: 'Start next term’s PEPs on the first day of term',
          value: onOff(settings.bulkStartNextTerm),
        },
      ]),
    },
    {
      title: 'Quality assurance',
      rows: withChange(href.qualityAssurance, [
        { key: 'Business support check', value: onOff(settings.bsoCheck) },
        { key: 'PEPs quality assured', value: `${settings.qaSamplePercent}%` },
        {
          key: 'Signed off only by a head',
          value:
            settings.headSignsOffFrom === 'inadequate'
              ? 'Rated Inadequate'
              : 'Rated Inadequate or Requires improvement',
        },
        {
          key: 'Target on attendance needed below',
          value: `${settings.attendanceTargetBelowPercent}%`,
        },
      ]),
    },
    {
      title: 'Carers',
      rows: withChange(href.carers, [
        {
          key: 'Email carers when a PEP is signed off',
          value: settings.carersEmailedSignedOffPep
            ? 'On: a link to sign in and read it, never the PEP itself'
            : 'Off',
        },
      ]),
    },
    {
      title: 'Closure days',
      rows: [
        {
          key: 'Closure days to come',
          value:
            closureDays.length === 0
              ? 'None'
              : closureDays.map((day) => `${formatDate(day.onDate)}: ${day.description}`),
          changeHref: href.closureDays,
        },
      ],
    },
  ]
}

/** A settings URL for one authority. */
export const forAuthority = (path: string, authority: { id: string }) =>
  `${path}?authority=${encodeURIComponent(authority.id)}`

/** The links between an authority's settings pages. */
export function settingsLinks(authority: { id: string }) {
  return {
    overview: forAuthority(paths.authoritySettings.overview(), authority),
    termWindows: forAuthority(paths.authoritySettings.termWindows(), authority),
    timescales: forAuthority(paths.authoritySettings.timescales(), authority),
    reminders: forAuthority(paths.authoritySettings.reminders(), authority),
    qualityAssurance: forAuthority(paths.authoritySettings.qualityAssurance(), authority),
    carers: forAuthority(paths.authoritySettings.carers(), authority),
    closureDays: forAuthority(paths.authoritySettings.closureDays(), authority),
  }
}

export const SETTINGS_TITLE = 'Settings'

/** Above the choice of authority, for an administrator of several. */
export const SETTINGS_CHOOSE_LEAD = 'Choose the authority whose settings you want to see or change.'

/** Each page that changes a group of settings: its title, and the message once saved. */
export const SETTINGS_PAGE_WORDS = {
  termWindows: { title: 'Term windows', saved: 'Term windows saved' },
  timescales: { title: 'Timescales', saved: 'Timescales saved' },
  reminders: { title: 'Reminders and escalations', saved: 'Reminders and escalations saved' },
  qualityAssurance: { title: 'Quality assurance', saved: 'Quality assurance saved' },
  carers: { title: 'Carers', saved: 'Carers saved' },
} as const
export const CLOSURE_DAYS_TITLE = 'Closure days'
export const closureDayAddedText = (onDate: string) =>
  `${formatDate(onDate)} added as a closure day`
export const closureDayRemovedText = (onDate: string) =>
  `${formatDate(onDate)} is no longer a closure day`
