import {
  addDays,
  londonDate,
  londonInstant,
  type CalendarDate,
} from '../../domain/calendar-date.ts'
import type { AuthoritySettings } from '../../domain/authority-settings.ts'
import type { JobDefinition } from '../../jobs/queue.ts'
import { formatDate } from '../../views/format.ts'
import type { SummaryCard } from './settings.presenter.ts'
import type { NoticeCount } from './scheduled-work.repository.ts'

/*
 * The "Scheduled work" page in words: each scheduled job, when it runs and when it runs next (in
 * England's time), the authority's switches that decide whether it does anything there, and what
 * the jobs did for the authority day by day (counts only: no child is named on this page).
 */

/** How many days of work the page shows, today included. */
export const ACTIVITY_DAYS = 30

export const SCHEDULED_WORK_TITLE = 'Scheduled work'

/** What each job does, as an administrator would say it; every job in JOBS has words here. */
export const JOB_WORDS: Record<string, { title: string; summary: string }> = {
  'term-start': {
    title: 'Start of term: move unfinished PEPs and start the term’s PEPs',
    summary:
      'Moves PEPs of earlier terms that are not signed off into the current term. In a term’s first days, if you have switched it on, also starts a PEP for every child in care without one for the term.',
  },
  'no-pep-check': {
    title: 'Check for children with no PEP this term',
    summary:
      'From the first working day of each term, alerts the social worker of each child in care who has no PEP for the term, once (the Virtual School gets a task when the child has no social worker).',
  },
  'pep-reminders': {
    title: 'Reminders to schools and escalations',
    summary:
      'Reminds designated teachers on the meeting day and before their sections are due, then tells the social worker and the Virtual School when the sections are overdue.',
  },
}

/** What a job did, in words, for the kinds the handlers record in `scheduled_notice`. */
export const NOTICE_WORDS: Record<string, string> = {
  'meeting-today': 'Meeting-day reminders',
  'due-soon': 'Due-date reminders',
  'escalate-to-social-worker': 'Escalations to social workers',
  'escalate-to-virtual-school': 'Escalations to the Virtual School',
  'webhook-pep-overdue': 'PEP overdue webhook events',
  'no-pep': 'No-PEP alerts',
  'pep-moved': 'PEPs moved to the new term',
  'pep-not-moved': 'PEPs that could not move to the new term',
  'bulk-start': 'PEPs started in bulk',
}

const NOTICE_ORDER = Object.keys(NOTICE_WORDS)

/** A cron expression that runs once a day at a fixed time ("30 0 * * *"), or undefined. */
export function dailyTime(cron: string): { hour: number; minute: number } | undefined {
  const match = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(cron.trim())
  if (!match) return undefined
  const minute = Number(match[1])
  const hour = Number(match[2])
  return hour < 24 && minute < 60 ? { hour, minute } : undefined
}

/** 6:00 as "6am", 0:30 as "12:30am", 13:05 as "1:05pm". */
export function timeLabel({ hour, minute }: { hour: number; minute: number }): string {
  const h = hour % 12 === 0 ? 12 : hour % 12
  const m = minute === 0 ? '' : `:${String(minute).padStart(2, '0')}`
  return `${h}${m}${hour < 12 ? 'am' : 'pm'}`
}

const hhmm = ({ hour, minute }: { hour: number; minute: number }) =>
  `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`

/** The next time a clock in England shows the job's time, after `now`. */
export function nextDailyRun(time: { hour: number; minute: number }, now: Date): Date {
  const today = londonDate(now)
  const later = londonInstant(today, hhmm(time))
  return later.getTime() > now.getTime() ? later : londonInstant(addDays(today, 1), hhmm(time))
}

export interface ScheduledJob {
  name: string
  title: string
  summary: string
  when: string
  nextRun: string
  /** The instant of the next run, for a `<time datetime>`. */
  nextRunAt: string | undefined
}

/** The jobs in plain words, in the order they run in a day. */
export function scheduledJobs(jobs: readonly JobDefinition[], now: Date): ScheduledJob[] {
  return jobs
    .map((job) => {
      const words = JOB_WORDS[job.name] ?? { title: job.name, summary: job.describe }
      const time = dailyTime(job.cron)
      if (!time)
        return {
          name: job.name,
          ...words,
          when: `On the schedule “${job.cron}” (England’s time)`,
          nextRun: 'Not known',
          nextRunAt: undefined,
          order: 24 * 60,
        }
      const next = nextDailyRun(time, now)
      return {
        name: job.name,
        ...words,
        when: `Every day at ${timeLabel(time)}`,
        nextRun: `${formatDate(londonDate(next))} at ${timeLabel(time)}`,
        nextRunAt: next.toISOString(),
        order: time.hour * 60 + time.minute,
      }
    })
    .sort((a, b) => a.order - b.order)
    .map(({ order: _order, ...job }) => job)
}

const onOff = (on: boolean) => (on ? 'On' : 'Off')

/** Each job as a summary card: when it runs, next, and the switch that governs it here. */
export function jobCards(
  jobs: readonly ScheduledJob[],
  settings: AuthoritySettings,
  remindersHref: string,
): (SummaryCard & { summary: string })[] {
  return jobs.map((job) => {
    const rows: SummaryCard['rows'] = [
      { key: 'When it runs', value: job.when, changeHref: '' },
      { key: 'Next run', value: job.nextRun, changeHref: '' },
    ]
    if (job.name === 'pep-reminders' || job.name === 'no-pep-check')
      rows.push({
        key: 'Reminders and escalations',
        value: onOff(settings.remindersOn),
        changeHref: remindersHref,
      })
    if (job.name === 'term-start')
      rows.push({
        key: 'Start next term’s PEPs on the first day of term',
        value: onOff(settings.bulkStartNextTerm),
        changeHref: remindersHref,
      })
    return { title: job.title, summary: job.summary, rows }
  })
}

export interface ActivityTable {
  /** The kinds done in the period, in words, in a fixed order: the table's columns. */
  columns: string[]
  /** Newest day first: the day and a count under each column. */
  rows: { day: string; counts: number[] }[]
  totals: number[]
}

/** Counts by day and kind as a table: a row for each day something was done, newest first. */
export function activityTable(counts: readonly NoticeCount[]): ActivityTable {
  const rank = (kind: string) => {
    const at = NOTICE_ORDER.indexOf(kind)
    return at === -1 ? NOTICE_ORDER.length : at
  }
  const kinds = [...new Set(counts.map((c) => c.kind))].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  )
  const days = [...new Set(counts.map((c) => c.day))].sort((a, b) => b.localeCompare(a))
  const byKey = new Map(counts.map((c) => [`${c.day} ${c.kind}`, c.count]))
  const rows = days.map((day: CalendarDate) => ({
    day: formatDate(day),
    counts: kinds.map((kind) => byKey.get(`${day} ${kind}`) ?? 0),
  }))
  return {
    columns: kinds.map((kind) => NOTICE_WORDS[kind] ?? kind),
    rows,
    totals: kinds.map((_, i) => rows.reduce((sum, row) => sum + (row.counts[i] ?? 0), 0)),
  }
}
