import { sql, type KyselyPlugin, type RootOperationNode } from 'kysely'
import { loadavg } from 'node:os'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed.ts'
import { fixedClock } from '../src/domain/clock.ts'
import { paths } from '../src/paths.ts'
import { TestAgent } from '../src/testing/agent.ts'
import { TEST_NOW } from '../src/testing/app.ts'
import { createTestDatabase } from '../src/testing/database.ts'

/*
 * `node bench/payment-run.ts`: a Pupil Premium Plus payment run over a national authority's
 * year (3,000 children, 9,000 approved lines) made through the real form, then exported as CSV
 * and as .xlsx, on a fresh embedded database with the demo seeded (issue 18's budget: made and
 * exported in at most 2 s). The fictional data is generated in SQL. Counts the statements each
 * step sent through Kysely (a second instrument the machine's load does not change), with the
 * shapes sent more than 10 times (a per-row query), and prints one line of JSON with the load.
 */

delete process.env['TEST_DATABASE_URL']
const CHILDREN = 3000
const PER_CHILD = 3

let statements = 0
const shapes = new Map<string, number>()
const inFlight = new Map<unknown, { shape: string; at: number }>()
const slow: { shape: string; ms: number }[] = []
const counting: KyselyPlugin = {
  transformQuery(args) {
    statements++
    const shape = shapeOf(args.node)
    shapes.set(shape, (shapes.get(shape) ?? 0) + 1)
    inFlight.set(args.queryId, { shape, at: performance.now() })
    return args.node
  },
  async transformResult(args) {
    const s = inFlight.get(args.queryId)
    if (s) {
      inFlight.delete(args.queryId)
      const ms = performance.now() - s.at
      if (ms > 50) slow.push({ shape: s.shape, ms: Math.round(ms) })
    }
    return args.result
  },
}
/** A statement's kind and first table (or a raw statement's first words): enough to spot one sent per row. */
function shapeOf(node: RootOperationNode): string {
  if (node.kind === 'RawNode') return node.sqlFragments.join('?').replace(/\s+/g, ' ').slice(0, 70)
  const table = /"identifier":\{"kind":"IdentifierNode","name":"([^"]+)"/.exec(JSON.stringify(node))
  return `${node.kind} ${table?.[1] ?? ''}`
}

/** Statements sent and the kinds sent more than 10 times, since the last call. */
function counted() {
  const out = {
    statements,
    repeated: Object.fromEntries([...shapes].filter(([, n]) => n > 10)),
    slowerThan50ms: slow.splice(0),
  }
  statements = 0
  shapes.clear()
  return out
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
const t = { app, clock, database }
try {
  const db = t.database.db
  await seedDemo(db, t.clock.now())
  const authority = await db
    .selectFrom('authority')
    .select('id')
    .where('code', '=', 'HFD')
    .executeTakeFirstOrThrow()
  const users = Object.fromEntries(
    (await db.selectFrom('app_user').select(['id', 'email']).execute()).map((u) => [u.email, u.id]),
  )
  const at = t.clock.now()
  await sql`
    insert into child (authority_id, first_name, last_name, date_of_birth, gender, case_reference,
                       entered_care_on, school_id)
    select ${authority.id}, 'Bench', 'Child ' || g, '2014-01-01', 'female', 'BEN-' || g,
           '2020-01-01',
           (select id from school where authority_id = ${authority.id} order by urn nulls last
            offset (g % 5) limit 1)
    from generate_series(1, ${CHILDREN}) g`.execute(db)
  await sql`
    insert into pep (child_id, authority_id, academic_year, term, form_type, template_version,
                     year_group, school_id, status, started_on, created_at, updated_at)
    select id, authority_id, 2026, 'autumn', 'primary', 1, 'Y4', school_id, 'awaiting_qa',
           '2026-11-01', ${at}, ${at}
    from child where case_reference like 'BEN-%'`.execute(db)
  await sql`
    insert into funding_request (authority_id, child_id, pep_id, target_id, target_text, area,
      school_id, amount_pence, purpose, category, expected_impact, requested_by, requested_at)
    select pep.authority_id, pep.child_id, pep.id, gen_random_uuid(), 'Target ' || k, 'mathematics',
           pep.school_id, 10000 + k * 2501, 'Tutoring', 'Tuition', 'Progress',
           ${users['designated.teacher@example.org']!}, ${at}
    from pep join child on child.id = pep.child_id and child.case_reference like 'BEN-%'
    cross join generate_series(1, ${PER_CHILD}) k`.execute(db)
  await sql`
    insert into funding_decision (request_id, outcome, amount_pence, reason, financial_year,
      decided_on, is_current, decided_by, decided_role, decided_at)
    select id, 'approved', amount_pence, '', 2026, '2026-11-20', true,
           ${users['vs.consultant@example.org']!}, 'vs_consultant', ${at}
    from funding_request`.execute(db)
  await sql`analyze`.execute(db)

  const admin = new TestAgent(t.app)
  await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
  await admin.get(paths.funding.runs())
  counted()
  // CPU time of this process (the app and the embedded database both run in it): a second
  // instrument beside wall time, which the machine's load inflates.
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since)
    return Math.round((used.user + used.system) / 1000)
  }
  let cpu = process.cpuUsage()
  const started = performance.now()
  const made = await admin.post(paths.funding.runs(), {
    'from-day': '1',
    'from-month': '11',
    'from-year': '2026',
    'to-day': '30',
    'to-month': '11',
    'to-year': '2026',
  })
  const madeMs = performance.now() - started
  const madeCpuMs = cpuMs(cpu)
  const madeCount = counted()
  const runUrl = made.headers.location ?? ''
  const exportUrl = runUrl.replace('?', '/export?')
  cpu = process.cpuUsage()
  const csvStarted = performance.now()
  const csv = await admin.get(`${exportUrl}&format=csv`)
  const csvMs = performance.now() - csvStarted
  const csvCpuMs = cpuMs(cpu)
  const csvCount = counted()
  cpu = process.cpuUsage()
  const xlsxStarted = performance.now()
  const xlsx = await admin.get(`${exportUrl}&format=xlsx`)
  const xlsxMs = performance.now() - xlsxStarted
  const xlsxCpuMs = cpuMs(cpu)
  const xlsxCount = counted()
  const lines = await db
    .selectFrom('payment_line')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  console.log(
    JSON.stringify({
      status: made.statusCode,
      lines: Number(lines.n),
      madeMs: Math.round(madeMs),
      madeCpuMs,
      csvMs: Math.round(csvMs),
      csvCpuMs,
      csvStatus: csv.statusCode,
      csvBytes: csv.rawPayload.length,
      xlsxMs: Math.round(xlsxMs),
      xlsxCpuMs,
      xlsxStatus: xlsx.statusCode,
      xlsxBytes: xlsx.rawPayload.length,
      statements: { made: madeCount, csv: csvCount, xlsx: xlsxCount },
      load: loadavg()[0]!.toFixed(1),
    }),
  )
} finally {
  await app.close()
  await database.close()
}
