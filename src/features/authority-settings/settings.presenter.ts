import type { AuthoritySettings } from '../../domain/authority-settings.ts'
import { TERM_NAMES } from '../../domain/terms.ts'
import { formatDate } from '../../views/format.ts'
import type { ClosureDay } from './closure-days.repository.ts'

/*
 * The settings overview as GOV.UK summary cards: every setting, in words, with a link to the
 * page that changes it.
 */

export interface SummaryRow {
  key: string
  value: string
}

export interface SummaryCard {
  title: string
  changeHref: string
  /** For the link's hidden text: "Change term windows". */
  changeLabel: string
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

export function settingsCards(
  settings: AuthoritySettings,
  closureDays: readonly ClosureDay[],
  href: {
    termWindows: string
    timescales: string
    reminders: string
    qualityAssurance: string
    closureDays: string
  },
): SummaryCard[] {
  const due = settings.delegationDue
  return [
    {
      title: 'Term windows',
      changeHref: href.termWindows,
      changeLabel: 'term windows',
      rows: TERM_NAMES.map((term) => ({
        key: `${term.charAt(0).toUpperCase()}${term.slice(1)} term deadline`,
        value: monthDayLabel(settings.termWindows[term]),
      })),
    },
    {
      title: 'Timescales',
      changeHref: href.timescales,
      changeLabel: 'timescales',
      rows: [
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
      ],
    },
    {
      title: 'Reminders and escalations',
      changeHref: href.reminders,
      changeLabel: 'reminders and escalations',
      rows: [
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
      ],
    },
    {
      title: 'Quality assurance',
      changeHref: href.qualityAssurance,
      changeLabel: 'quality assurance',
      rows: [
        { key: 'Business support check', value: onOff(settings.bsoCheck) },
        { key: 'PEPs quality assured', value: `${settings.qaSamplePercent}%` },
      ],
    },
    {
      title: 'Closure days',
      changeHref: href.closureDays,
      changeLabel: 'closure days',
      rows:
        closureDays.length === 0
          ? [{ key: 'Closure days', value: 'None' }]
          : closureDays.map((day) => ({ key: formatDate(day.onDate), value: day.description })),
    },
  ]
}
