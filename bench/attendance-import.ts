import type { KyselyPlugin } from 'kysely'
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

/*
 * `npm run bench:attendance-import`: the Virtual School's attendance import of 50,000 rows
 * (10,000 children, five periods each, one row in five below the attendance line) through the
 * real upload form, on a fresh embedded database with the demo seeded and the children imported
 * first (the budget: at most 10 s). Times it, counts the statements the import sent (a second
 * instrument the machine's load does not change), and checks the alarms raised. Prints one
 * line of JSON.
 */

delete process.env['TEST_DATABASE_URL']
const CHILDREN = 10_000
const PERIODS = [
  ['2025-09-01', '2025-10-24', 76],
  ['2025-11-03', '2025-12-19', 68],
  ['2026-01-05', '2026-02-13', 56],
  ['2026-02-23', '2026-03-27', 50],
  ['2026-04-13', '2026-05-22', 54],
] as const

let statements = 0
const counting: KyselyPlugin = {
  transformQuery(args) {
    statements++
    return args.node
  },
  async transformResult(args) {
    return args.result
  },
}

const database = await createTestDatabase()
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
  const started = performance.now()
  const response = await admin.postMultipart(
    '/attendance/import',
    { authority: authority.id },
    { field: 'file', filename: 'attendance.csv', contentType: 'text/csv', content: file },
  )
  const ms = performance.now() - started
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
      statements: sent,
      tasks: Object.fromEntries(tasks.map((t) => [t.is_alert ? 'alerts' : 'vsTasks', Number(t.n)])),
      load: (await import('node:os')).loadavg()[0]!.toFixed(1),
    }),
  )
} finally {
  await app.close()
  await database.close()
}
