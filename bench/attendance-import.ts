import { type KyselyPlugin, type RootOperationNode } from 'kysely'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed.ts'
import { fixedClock } from '../src/domain/clock.ts'
import { withCheckLetter } from '../src/domain/upn.ts'
import { paths } from '../src/paths.ts'
import { TestAgent } from '../src/testing/agent.ts'
import { TEST_NOW } from '../src/testing/app.ts'
import { bigChildCsv } from '../src/testing/child-csv.ts'
import { createTestDatabase } from '../src/testing/database.ts'
import { backendCpuMs } from './server.ts'

/*
 * `npm run bench:attendance-import`: the Virtual School's attendance import of 50,000 rows
 * (10,000 children, five periods each, one row in five below the attendance line) through the
 * real upload form, on a fresh embedded database with the demo seeded and the children imported
 * first (the budget: at most 10 s). Times it, counts the statements the import sent (a second
 * instrument the machine's load does not change), and checks the alarms raised. Prints one
 * line of JSON.
 */

// PGlite (in memory) by default; BENCH_DATABASE_URL=postgres://…/some_db runs it on a new database
// made on that server (and dropped after), the server the 10 s budget is for.
if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL
else delete process.env['TEST_DATABASE_URL']
const CHILDREN = 10_000
const PERIODS = [
  ['2025-09-01', '2025-10-24', 76],
  ['2025-11-03', '2025-12-19', 68],
  ['2026-01-05', '2026-02-13', 56],
  ['2026-02-23', '2026-03-27', 50],
  ['2026-04-13', '2026-05-22', 54],
] as const

/*
 * Counts the statements sent, and times each from its compiling to its result (the database's
 * part, round-trips included), by kind of statement and table: with the total, what is left is
 * the app's own work (reading and checking the file).
 */
let statements = 0
const timing = new WeakMap<object, { kind: string; from: number }>()
const dbTime = new Map<string, { n: number; ms: number }>()
const counting: KyselyPlugin = {
  transformQuery(args) {
    statements++
    timing.set(args.queryId, { kind: kindOf(args.node), from: performance.now() })
    return args.node
  },
  async transformResult(args) {
    const t = timing.get(args.queryId)
    if (t) {
      const sum = dbTime.get(t.kind) ?? { n: 0, ms: 0 }
      sum.n++
      sum.ms += performance.now() - t.from
      dbTime.set(t.kind, sum)
    }
    return args.result
  },
}

/** `insert task`, `select attendance_period`, `raw`: what a statement is, to sum its time by. */
function kindOf(node: RootOperationNode): string {
  const table = (n: unknown): string => {
    const text = JSON.stringify(n ?? null)
    return /"identifier":\{"kind":"IdentifierNode","name":"([a-z_]+)"/.exec(text)?.[1] ?? ''
  }
  switch (node.kind) {
    case 'SelectQueryNode':
      return `select ${table(node.from)}`
    case 'InsertQueryNode':
      return `insert ${table(node.into)}`
    case 'UpdateQueryNode':
      return `update ${table(node.table)}`
    case 'DeleteQueryNode':
      return `delete ${table(node.from)}`
    default:
      return node.kind === 'RawNode' ? 'raw' : node.kind
  }
}

const database = await createTestDatabase()

/**
 * The CPU time (ms) of each server process serving this database, by pid (PostgreSQL on this
 * machine): compare two readings with `serverCpuSince`.
 */
async function serverCpu(): Promise<Map<number, number>> {
  return database.kind === 'postgres' ? backendCpuMs(database.db) : new Map()
}

/** The server's CPU time since `before`: a process new since then counts whole. */
async function serverCpuSince(before: Map<number, number>): Promise<number> {
  let ms = 0
  for (const [pid, now] of await serverCpu()) ms += now - (before.get(pid) ?? 0)
  return ms
}
const clock = fixedClock(TEST_NOW)
const app = await buildApp({
  config: loadConfig({ NODE_ENV: 'test' }),
  db: database.db.withPlugin(counting),
  clock,
  demo: false,
})
await app.ready()
try {
  await seedDemo(database.db, clock.now())
  const authority = await database.db
    .selectFrom('authority')
    .select('id')
    .where('code', '=', 'HFD')
    .executeTakeFirstOrThrow()
  const admin = new TestAgent(app)
  await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
  await admin.get(paths.childAdmin.import())
  const children = await admin.postMultipart(
    paths.childAdmin.import(),
    { authority: authority.id },
    {
      field: 'file',
      filename: 'children.csv',
      contentType: 'text/csv',
      content: bigChildCsv(CHILDREN),
    },
  )
  if (children.statusCode >= 400) throw new Error(`children import: ${children.statusCode}`)

  const lines = [
    'upn,school_urn,period_start,period_end,sessions_possible,sessions_attended,authorised_absence,unauthorised_absence',
  ]
  let below = 0
  for (let i = 0; i < CHILDREN; i++) {
    const upn = withCheckLetter(`8${String(i).padStart(11, '0')}`)
    PERIODS.forEach(([from, to, possible], p) => {
      // One row in five below the 90% line.
      const low = (i + p) % 5 === 0
      if (low) below++
      const absent = low ? Math.ceil(possible * 0.2) : 2
      lines.push(`${upn},990001,${from},${to},${possible},${possible - absent},${absent},0`)
    })
  }
  const file = Buffer.from(`${lines.join('\r\n')}\r\n`)
  await admin.get('/attendance/import')
  statements = 0
  dbTime.clear()
  const serverBefore = await serverCpu()
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const response = await admin.postMultipart(
    '/attendance/import',
    { authority: authority.id },
    { field: 'file', filename: 'attendance.csv', contentType: 'text/csv', content: file },
  )
  const ms = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  const serverMs = await serverCpuSince(serverBefore)
  const sent = statements
  const tasks = await database.db
    .selectFrom('task')
    .select(['is_alert', (eb) => eb.fn.countAll<string>().as('n')])
    .where('kind', '=', 'attendance-below')
    .groupBy('is_alert')
    .orderBy('is_alert')
    .execute()
  console.log(
    JSON.stringify({
      status: response.statusCode,
      rows: lines.length - 1,
      belowLine: below,
      ms: Math.round(ms),
      rowsPerSecond: Math.round(((lines.length - 1) / ms) * 1000),
      // CPU time, which the machine's load changes far less than the wall time: this process's
      // (with PGlite, the database's too), and the server's backends' on PostgreSQL.
      appCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      ...(database.kind === 'postgres' ? { serverCpuMs: serverMs } : {}),
      statements: sent,
      databaseMs: Math.round([...dbTime.values()].reduce((a, t) => a + t.ms, 0)),
      byStatement: Object.fromEntries(
        [...dbTime]
          .sort((a, b) => b[1].ms - a[1].ms)
          .map(([kind, t]) => [kind, `${t.n} in ${Math.round(t.ms)} ms`]),
      ),
      tasks: Object.fromEntries(tasks.map((t) => [t.is_alert ? 'alerts' : 'vsTasks', Number(t.n)])),
      load: (await import('node:os')).loadavg()[0]!.toFixed(1),
    }),
  )
} finally {
  await app.close()
  await database.close()
}
