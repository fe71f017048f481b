import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, type DatabaseHandle } from '../db/connection.ts'
import { systemClock } from '../domain/clock.ts'
import { createTestDatabase, createTestDatabaseIn } from '../testing/database.ts'
import { JOBS, JobQueue, TIME_ZONE, type JobDefinition } from './queue.ts'

/*
 * pg-boss itself on the test database: it starts, registers the schedules, runs a job sent to
 * it, and a job sent before a restart is still run after it. On PGlite (a database directory
 * closed and opened again, as a process restart would) and, with TEST_DATABASE_URL, on
 * PostgreSQL (a new pool). Waiting polls with a time limit; nothing sleeps for a fixed time.
 */

const silent = { info: () => undefined, error: () => undefined }
const cleanups: (() => Promise<void> | void)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function recordingJob(ran: string[]): JobDefinition {
  return {
    name: 'test-job',
    cron: '0 3 * * *',
    describe: 'records that it ran',
    run: async ({ database }) => {
      const row = await database.db
        .selectFrom('authority')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      ran.push(`ran with ${Number(row.n)} authorities`)
    },
  }
}

const queue = (database: DatabaseHandle, jobs: readonly JobDefinition[]) =>
  new JobQueue({
    database,
    clock: systemClock,
    baseUrl: 'http://localhost',
    log: silent,
    jobs,
    pollingIntervalSeconds: 0.5,
  })

describe('the job queue on PGlite', () => {
  it('starts, schedules the jobs in London time and runs a job sent to it', async () => {
    const database = await createTestDatabase()
    cleanups.push(() => database.close())
    const ran: string[] = []
    const jobs = queue(database, [...JOBS, recordingJob(ran)])
    await jobs.start()
    cleanups.push(() => jobs.stop())
    const schedules = await jobs.boss.getSchedules()
    expect(schedules.map((s) => `${s.name} ${s.cron} ${s.options?.tz ?? ''}`).sort()).toEqual([
      `no-pep-check 0 1 * * * ${TIME_ZONE}`,
      `pep-reminders 0 6 * * * ${TIME_ZONE}`,
      `term-start 30 0 * * * ${TIME_ZONE}`,
      `test-job 0 3 * * * ${TIME_ZONE}`,
    ])
    // The app keeps working on the same single connection while the queue runs.
    await jobs.runNow('test-job')
    await until(() => ran.length === 1)
    expect(ran).toEqual(['ran with 0 authorities'])
    // A real job runs through the queue too (on an empty database it does nothing).
    expect(await jobs.runNow('pep-reminders')).toBeTruthy()
    await until(async () => {
      const done = await jobs.boss.findJobs('pep-reminders', { queued: false })
      return done.some((job) => job.state === 'completed')
    })
  }, 120_000)

  it('keeps a job sent before a restart and runs it after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openpep-jobs-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const ran: string[] = []
    const first = await createTestDatabaseIn(join(dir, 'pglite'))
    const before = queue(first, [recordingJob(ran)])
    await before.start({ work: false })
    expect(await before.runNow('test-job')).toBeTruthy()
    await before.stop()
    await first.close()
    expect(ran).toEqual([])

    const second = await openDatabase({ pgliteDir: join(dir, 'pglite') })
    cleanups.push(() => second.close())
    const after = queue(second, [recordingJob(ran)])
    await after.start()
    cleanups.push(() => after.stop())
    await until(() => ran.length === 1)
    expect(ran).toEqual(['ran with 0 authorities'])
  }, 120_000)
})

describe('a job queue started later (the server starts it after its first pages)', () => {
  // On the run's database: PGlite, or PostgreSQL with TEST_DATABASE_URL.
  it('has not started before the wait ends, and starts when it does', async () => {
    const database = await createTestDatabase()
    cleanups.push(() => database.close())
    const ran: string[] = []
    const jobs = queue(database, [recordingJob(ran)])
    cleanups.push(() => jobs.stop())
    let endWait!: () => void
    const started = jobs.startLater(new Promise<void>((resolve) => (endWait = resolve)))
    // Give the queue every chance to start early: it must not.
    await new Promise((resolve) => setImmediate(resolve))
    expect(() => jobs.boss).toThrow('The job queue has not started')
    endWait()
    await started
    expect((await jobs.boss.getSchedules()).map((s) => s.name)).toEqual(['test-job'])
  }, 120_000)

  it('does not lose a job asked for before it starts: the queue starts at once and runs it', async () => {
    const database = await createTestDatabase()
    cleanups.push(() => database.close())
    const ran: string[] = []
    const jobs = queue(database, [recordingJob(ran)])
    cleanups.push(() => jobs.stop())
    // A wait that never ends: only runNow can start the queue.
    const later = jobs.startLater(new Promise<void>(() => undefined))
    expect(await jobs.runNow('test-job')).toBeTruthy()
    await until(() => ran.length === 1)
    expect(ran).toEqual(['ran with 0 authorities'])
    void later
  }, 120_000)

  it('never starts once stopped, and then runs nothing', async () => {
    const database = await createTestDatabase()
    cleanups.push(() => database.close())
    const jobs = queue(database, [recordingJob([])])
    let endWait!: () => void
    const started = jobs.startLater(new Promise<void>((resolve) => (endWait = resolve)))
    await jobs.stop()
    endWait()
    await started
    expect(() => jobs.boss).toThrow('The job queue has not started')
    expect(await jobs.runNow('test-job').catch((err: Error) => err.message)).toBe(
      'The job queue has not started',
    )
  }, 120_000)
})

describe.skipIf(!process.env.TEST_DATABASE_URL)('the job queue on PostgreSQL', () => {
  it('runs a job, keeps one sent before a restart, and two processes run it once', async () => {
    const database = await createTestDatabase()
    cleanups.push(() => database.close())
    const ran: string[] = []
    const first = queue(database, [recordingJob(ran)])
    await first.start({ work: false })
    expect(await first.runNow('test-job')).toBeTruthy()
    await first.stop()

    const a = queue(database, [recordingJob(ran)])
    const b = queue(database, [recordingJob(ran)])
    await Promise.all([a.start(), b.start()])
    cleanups.push(
      () => a.stop(),
      () => b.stop(),
    )
    await until(() => ran.length === 1)
    // Both processes poll; the exclusive queue holds one job at a time, and it ran once. The
    // handler has returned, but pg-boss marks the job done after it: until then a second job is
    // refused (null), so it is sent again until the queue takes it.
    await until(async () => (await a.runNow('test-job')) !== null)
    await until(() => ran.length === 2)
    expect(ran).toHaveLength(2)
  }, 120_000)
})
