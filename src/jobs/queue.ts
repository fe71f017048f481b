import type { ConstructorOptions, Db, PgBoss } from 'pg-boss'
import type { DatabaseHandle } from '../db/connection.ts'
import type { Clock } from '../domain/clock.ts'
import { checkNoPep } from './no-pep-check.ts'
import { sendReminders } from './reminders.ts'
import { startOfTerm } from './term-start.ts'
import { purgeExpired } from './purge.ts'
import { reviewRetention } from '../features/data-rights/retention.service.ts'

/*
 * The job queue: pg-boss 12 in the app's own database (its tables live in the `pgboss` schema),
 * on PostgreSQL through its own small pool and on embedded PGlite through the app's PGlite
 * instance. pg-boss only decides when a job runs; each job is a plain function of `{ db, now }`
 * that does its work in transactions and remembers what it has done (`scheduled_notice`), so
 * running it twice, or in two processes, does it once.
 *
 * Schedules are cron expressions in Europe/London, stored in the database: every process
 * registers the same ones at start (an upsert), pg-boss's cron pass runs in every process but
 * creates one job per occurrence, and each queue's `exclusive` policy allows one job queued or
 * running at a time. A schedule missed while every process was down runs once when one starts.
 */

export interface JobDefinition {
  name: string
  cron: string
  describe: string
  run(context: { database: DatabaseHandle; clock: Clock; baseUrl: string }): Promise<unknown>
}

export const JOBS: readonly JobDefinition[] = [
  {
    name: 'term-start',
    cron: '30 0 * * *',
    describe: 'move unfinished PEPs into a new term; bulk-start the term’s PEPs',
    run: ({ database, clock }) => startOfTerm({ db: database.db, now: clock.now() }),
  },
  {
    name: 'no-pep-check',
    cron: '0 1 * * *',
    describe: 'alert social workers to children with no PEP this term',
    run: ({ database, clock }) => checkNoPep({ db: database.db, now: clock.now() }),
  },
  {
    name: 'pep-reminders',
    cron: '0 6 * * *',
    describe: 'meeting-day and due-date reminders; overdue escalations',
    run: ({ database, clock, baseUrl }) =>
      sendReminders({ db: database.db, now: clock.now(), baseUrl }),
  },
]

/**
 * The installation's own upkeep: not an authority's work, so not on the "Scheduled work" page
 * (which shows JOBS), but run by the same queue.
 */
export const HOUSEKEEPING_JOBS: readonly JobDefinition[] = [
  {
    name: 'purge-expired',
    cron: '15 3 * * *',
    describe: 'delete expired sessions and ended attempt counters',
    run: ({ database, clock }) => purgeExpired({ db: database.db, now: clock.now() }),
  },
  {
    name: 'retention-review',
    cron: '45 3 * * *',
    describe: 'list the records past their authority’s retention period for review (issue 22)',
    run: ({ database, clock }) => reviewRetention({ db: database.db, now: clock.now() }),
  },
]

/** Every job the queue runs. */
export const ALL_JOBS: readonly JobDefinition[] = [...JOBS, ...HOUSEKEEPING_JOBS]

export const TIME_ZONE = 'Europe/London'

export interface Logger {
  info(object: object, message: string): void
  error(object: object, message: string): void
}

/**
 * pg-boss on the app's PGlite. PGlite is one connection, and Kysely serialises its use by
 * holding it for a whole transaction; so each pg-boss statement also takes Kysely's connection
 * first, or it could land in the middle of an app transaction (and a pg-boss COMMIT commit the
 * app's half-done work). Multi-statement SQL goes to PGlite's `exec`, via pg-boss's own adapter.
 * So on PGlite never call pg-boss from inside an app transaction: it would wait for itself.
 */
export async function pgliteDb(database: DatabaseHandle): Promise<Db> {
  if (!database.pglite) throw new Error('Not an embedded database')
  const { fromPglite } = await import('pg-boss')
  const inner = fromPglite(database.pglite)
  return {
    executeSql: (text, values) =>
      database.db.connection().execute(() => inner.executeSql(text, values)),
  }
}

export async function bossOptions(database: DatabaseHandle): Promise<ConstructorOptions> {
  const common: ConstructorOptions = {
    schema: 'pgboss',
    application_name: 'openpep-jobs',
    // Daily jobs: nothing is urgent, so keep the polling and upkeep light.
    superviseIntervalSeconds: 300,
    monitorIntervalSeconds: 300,
    queueCacheIntervalSeconds: 300,
    openTelemetry: { enabled: false },
    // The schema is made by a migration (2026_11_30_1501): the app's database role may create
    // tables in it but not schemas in the database.
    createSchema: false,
  }
  if (database.kind === 'pglite')
    return { ...common, backend: 'pglite', db: await pgliteDb(database), registerInstance: false }
  const options = database.pool?.options
  return {
    ...common,
    connectionString: options?.connectionString,
    max: 3,
  }
}

export class JobQueue {
  private instance: PgBoss | undefined
  private readonly bossOverrides: Partial<ConstructorOptions>
  private readonly database: DatabaseHandle
  private readonly clock: Clock
  private readonly baseUrl: string
  private readonly log: Logger
  private readonly jobs: readonly JobDefinition[]
  private readonly polling: number
  private started = false
  /** The start under way (or done), so one start serves every caller. */
  private starting: Promise<void> | undefined
  /** Set by stop(): a start asked for later then never happens. */
  private stopped = false

  constructor(options: {
    database: DatabaseHandle
    clock: Clock
    baseUrl: string
    log: Logger
    jobs?: readonly JobDefinition[]
    /** How often workers look for a job, in seconds (tests use less). */
    pollingIntervalSeconds?: number
    boss?: Partial<ConstructorOptions>
  }) {
    this.database = options.database
    this.clock = options.clock
    this.baseUrl = options.baseUrl
    this.log = options.log
    this.jobs = options.jobs ?? ALL_JOBS
    this.polling = options.pollingIntervalSeconds ?? 30
    this.bossOverrides = options.boss ?? {}
  }

  /** pg-boss itself, once started. */
  get boss(): PgBoss {
    if (!this.instance) throw new Error('The job queue has not started')
    return this.instance
  }

  /** Installs or migrates pg-boss's schema, registers the schedules and starts the workers. */
  start(options: { schedule?: boolean; work?: boolean } = {}): Promise<void> {
    this.starting ??= this.startNow(options)
    return this.starting
  }

  /**
   * Starts the queue once `after` settles (the server waits a few seconds after it listens), so
   * pg-boss's start (its import, schema check, queues and schedules: tens of statements, which on
   * PGlite share the app's one connection) comes after the first pages rather than in front of
   * them. Nothing is lost meanwhile: a schedule missed while the queue was down runs once when it
   * starts (`missed: 'once'`), and `runNow` starts the queue at once rather than wait. After
   * `stop()` it never starts. A failed start is logged; the promise never rejects.
   */
  async startLater(after: Promise<unknown>): Promise<void> {
    await after.catch(() => undefined)
    if (this.stopped) return
    await this.start().catch((err: unknown) =>
      this.log.error({ err }, 'the job queue did not start'),
    )
  }

  private async startNow(options: { schedule?: boolean; work?: boolean }): Promise<void> {
    const startedAt = performance.now()
    // Loaded here, after the app listens: importing pg-boss costs about half a second.
    const { PgBoss } = await import('pg-boss')
    this.instance = new PgBoss({ ...(await bossOptions(this.database)), ...this.bossOverrides })
    this.instance.on('error', (err) => this.log.error({ err }, 'job queue error'))
    await this.boss.start()
    this.started = true
    for (const job of this.jobs) {
      await this.boss.createQueue(job.name, {
        policy: 'exclusive',
        retryLimit: 3,
        retryDelay: 300,
        retryBackoff: true,
        expireInSeconds: 30 * 60,
        deleteAfterSeconds: 30 * 24 * 60 * 60,
      })
      if (options.schedule !== false)
        await this.boss.schedule(job.name, job.cron, null, { tz: TIME_ZONE, missed: 'once' })
      if (options.work === false) continue
      await this.boss.work(job.name, { pollingIntervalSeconds: this.polling }, async () => {
        const began = performance.now()
        const result = await job.run({
          database: this.database,
          clock: this.clock,
          baseUrl: this.baseUrl,
        })
        this.log.info(
          { job: job.name, result, ms: Math.round(performance.now() - began) },
          `job ${job.name} done`,
        )
        return result
      })
    }
    this.log.info(
      { ms: Math.round(performance.now() - startedAt), jobs: this.jobs.map((j) => j.name) },
      'job queue started',
    )
  }

  /** Asks for a job to run now (it still runs once at a time, in whichever process picks it up). */
  async runNow(name: string): Promise<string | null> {
    // Asked before a later start (startLater): the queue starts now, so the job is not lost.
    if (!this.stopped) await (this.starting ?? this.start())
    return this.boss.send(name, {})
  }

  /** Lets running jobs finish (up to `timeout` ms), then stops; the database stays open. */
  async stop(timeout = 10_000): Promise<void> {
    this.stopped = true
    // A start under way finishes first, so its workers are stopped too.
    await this.starting?.catch(() => undefined)
    if (!this.started) return
    this.started = false
    await this.boss.stop({ graceful: true, timeout, close: true })
  }
}
