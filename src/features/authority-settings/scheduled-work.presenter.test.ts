import { describe, expect, it } from 'vitest'
import { JOBS } from '../../jobs/queue.ts'
import {
  activityTable,
  dailyTime,
  JOB_WORDS,
  nextDailyRun,
  scheduledJobs,
  timeLabel,
} from './scheduled-work.presenter.ts'

/* The scheduled work in words: the jobs' times and next runs in England, and the day-by-kind table. */

describe('the jobs in words', () => {
  it('has words for every scheduled job, and every job runs daily at a fixed time', () => {
    for (const job of JOBS) {
      expect(JOB_WORDS[job.name], job.name).toBeDefined()
      expect(dailyTime(job.cron), job.cron).toBeDefined()
    }
  })

  it('reads a daily cron expression and nothing else', () => {
    expect(dailyTime('30 0 * * *')).toEqual({ hour: 0, minute: 30 })
    expect(dailyTime('0 6 * * *')).toEqual({ hour: 6, minute: 0 })
    expect(dailyTime('0 6 * * 1')).toBeUndefined()
    expect(dailyTime('*/5 * * * *')).toBeUndefined()
    expect(dailyTime('0 24 * * *')).toBeUndefined()
  })

  it('says times as people do', () => {
    expect(timeLabel({ hour: 6, minute: 0 })).toBe('6am')
    expect(timeLabel({ hour: 0, minute: 30 })).toBe('12:30am')
    expect(timeLabel({ hour: 1, minute: 0 })).toBe('1am')
    expect(timeLabel({ hour: 12, minute: 0 })).toBe('12pm')
    expect(timeLabel({ hour: 13, minute: 5 })).toBe('1:05pm')
  })

  it('orders the jobs by their time of day, each with its next run', () => {
    const jobs = scheduledJobs(JOBS, new Date('2026-11-23T10:00:00Z'))
    expect(jobs.map((j) => [j.title, j.when, j.nextRun])).toEqual([
      [
        'Start of term: move unfinished PEPs and start the term’s PEPs',
        'Every day at 12:30am',
        '24 November 2026 at 12:30am',
      ],
      ['Check for children with no PEP this term', 'Every day at 1am', '24 November 2026 at 1am'],
      ['Reminders to schools and escalations', 'Every day at 6am', '24 November 2026 at 6am'],
    ])
  })

  it('falls back to the cron expression for a job that is not daily', () => {
    const [job] = scheduledJobs(
      [{ name: 'weekly', cron: '0 6 * * 1', describe: 'weekly work', run: async () => {} }],
      new Date('2026-11-23T10:00:00Z'),
    )
    expect(job).toMatchObject({ title: 'weekly', nextRun: 'Not known', nextRunAt: undefined })
  })
})

describe('the next run, in England’s time', () => {
  const six = { hour: 6, minute: 0 }
  it('in winter (GMT): later today, or tomorrow once it has passed', () => {
    expect(nextDailyRun(six, new Date('2026-11-23T05:30:00Z')).toISOString()).toBe(
      '2026-11-23T06:00:00.000Z',
    )
    expect(nextDailyRun(six, new Date('2026-11-23T06:00:00Z')).toISOString()).toBe(
      '2026-11-24T06:00:00.000Z',
    )
  })

  it('in summer (BST): 6am in London is 5am UTC', () => {
    // 05:30 UTC is 6:30am in London: today's run has gone.
    expect(nextDailyRun(six, new Date('2026-06-15T05:30:00Z')).toISOString()).toBe(
      '2026-06-16T05:00:00.000Z',
    )
    expect(nextDailyRun(six, new Date('2026-06-15T04:30:00Z')).toISOString()).toBe(
      '2026-06-15T05:00:00.000Z',
    )
    // 23:30 UTC is already the next day in London.
    expect(
      nextDailyRun({ hour: 0, minute: 30 }, new Date('2026-06-15T23:10:00Z')).toISOString(),
    ).toBe('2026-06-15T23:30:00.000Z')
  })

  it('across the change of the clocks', () => {
    // The clocks go forward on 29 March 2026: the run that morning is at 6am BST.
    expect(nextDailyRun(six, new Date('2026-03-28T12:00:00Z')).toISOString()).toBe(
      '2026-03-29T05:00:00.000Z',
    )
    // They go back on 25 October 2026: 6am GMT.
    expect(nextDailyRun(six, new Date('2026-10-24T12:00:00Z')).toISOString()).toBe(
      '2026-10-25T06:00:00.000Z',
    )
  })
})

describe('what the jobs did, by day and kind', () => {
  it('puts the newest day first, a column for each kind done, in words, and totals', () => {
    const table = activityTable([
      { day: '2026-11-20', kind: 'due-soon', count: 3 },
      { day: '2026-11-22', kind: 'escalate-to-virtual-school', count: 1 },
      { day: '2026-11-22', kind: 'due-soon', count: 2 },
      { day: '2026-11-21', kind: 'no-pep', count: 4 },
    ])
    expect(table.columns).toEqual([
      'Due-date reminders',
      'Escalations to the Virtual School',
      'No-PEP alerts',
    ])
    expect(table.rows).toEqual([
      { day: '22 November 2026', counts: [2, 1, 0] },
      { day: '21 November 2026', counts: [0, 0, 4] },
      { day: '20 November 2026', counts: [3, 0, 0] },
    ])
    expect(table.totals).toEqual([5, 1, 4])
  })

  it('is empty when nothing was done', () => {
    expect(activityTable([])).toEqual({ columns: [], rows: [], totals: [] })
  })
})
