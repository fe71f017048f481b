/*
 * The child's record (issues 16 and 19), statement by statement, on a generated database:
 * `MEASURE_DATABASE_URL=postgres://… node bench/record-statements.ts [requests]` (never the
 * bench's own database: it gives the social workers' children five years of history, as the
 * bench does, so point it at a copy). The real app, in this process on the app's own pool, is
 * signed in through the form as the bench's first social worker, who asks for their children's
 * records in turn. It prints:
 *
 * - the statements of one record, each with EXPLAIN (ANALYZE, BUFFERS) run on a connection of its
 *   own (a prepared statement is prepared there and run six times first, so its plan is the one
 *   PostgreSQL keeps): planning and execution time (medians of five) and shared buffers, hit or
 *   read, of the plan and of planning;
 * - then `requests` records (200 unless given), each child in turn after a warm-up: this
 *   process's CPU a request (the app, with light-my-request in place of the network) and the
 *   CPU of the server's backends for this database (from /proc, as bench/attendance-import.ts).
 *
 * Times depend on the machine's load: say the load average (printed) beside them.
 */
import { readFileSync } from 'node:fs'
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import type { DB } from '../src/db/schema.ts'
import { londonDate } from '../src/domain/calendar-date.ts'
import { systemClock } from '../src/domain/clock.ts'
import { paths } from '../src/paths.ts'
import { TestAgent } from '../src/testing/agent.ts'
import { ensureHistory } from './history.ts'
import { BENCH_PASSWORD } from './profiles.ts'
import { planScenario } from './scenario.ts'

const url = process.env.MEASURE_DATABASE_URL
if (!url) throw new Error('Set MEASURE_DATABASE_URL to a copy of a bench database')
const REQUESTS = Number(process.argv[2] ?? 200)
const load = () => readFileSync('/proc/loadavg', 'utf8').trim()

const handle = await openDatabase({ url })
if (handle.kind !== 'postgres') throw new Error('PostgreSQL only')
const pool = handle.pool!
let captured: CompiledQuery[] | undefined
/** Every PREPARE seen, by the statement's name: the text a later EXECUTE runs. */
const prepares = new Map<string, string>()
const db = new Kysely<DB>({
  dialect: new PostgresDialect({ pool }),
  log: (event) => {
    if (event.level !== 'query') return
    const prepare = /^prepare (\w+) as /.exec(event.query.sql)
    if (prepare) prepares.set(prepare[1]!, event.query.sql)
    captured?.push(event.query)
  },
})

const today = londonDate(new Date())
const plan = await planScenario(db, today)
const worker = plan.workers[0]
if (!worker) throw new Error('No social worker with PEPs this term in the bench data')
const children = [...new Set(worker.peps.map((p) => p.childId))]
await ensureHistory(db, children, today)

const app = await buildApp({
  config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }),
  db,
  clock: systemClock,
})
await app.ready()
const agent = new TestAgent(app)
await agent.signIn(worker.email, BENCH_PASSWORD)
const record = async (i: number) => {
  const response = await agent.get(paths.children.show(children[i % children.length]!))
  if (response.statusCode !== 200) throw new Error(`the record answered ${response.statusCode}`)
  return response
}
// Warm: every connection of the pool past its first PREPAREs and its five custom plans.
for (let i = 0; i < 60; i++) await record(i)

console.log(`${worker.email}, ${children.length} children; load ${load()}`)
captured = []
await record(0)
const statements = captured
captured = undefined

interface Explained {
  Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number }
  Planning?: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number }
  'Planning Time': number
  'Execution Time': number
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!
const short = (s: string) => s.replace(/\s+/g, ' ').slice(0, 100)

const client = await pool.connect()
let sums = { planning: 0, execution: 0, buffers: 0, planningBuffers: 0 }
console.log(`\n${statements.length} statements a record (planning, execution: medians of 5)`)
for (const q of statements) {
  // A setting around a statement (the tray count's generic plan) is sent as it is, not explained.
  if (/^(set|reset) /.test(q.sql)) {
    await client.query(q.sql)
    console.log(`  (sent as it is)                                          ${q.sql}`)
    continue
  }
  const execute = /^execute (\w+)/.exec(q.sql)
  if (execute) {
    const prepare = prepares.get(execute[1]!)
    if (!prepare) throw new Error(`no PREPARE seen for ${execute[1]}`)
    await client.query(`deallocate all`)
    await client.query(prepare)
    for (let i = 0; i < 6; i++) await client.query(q.sql)
  }
  // A write is explained in a transaction rolled back, so the copy keeps what the app wrote.
  const writes = /^(insert|update|delete)\b/i.test(q.sql.trim())
  const planning: number[] = []
  const execution: number[] = []
  let shared = 0
  let planningShared = 0
  for (let i = 0; i < 5; i++) {
    if (writes) await client.query('begin')
    const result = await client.query(
      `explain (analyze, buffers, format json) ${q.sql}`,
      q.parameters as unknown[],
    )
    if (writes) await client.query('rollback')
    const explained = (result.rows[0] as { 'QUERY PLAN': unknown })['QUERY PLAN']
    const [e] = (typeof explained === 'string' ? JSON.parse(explained) : explained) as Explained[]
    planning.push(e!['Planning Time'])
    execution.push(e!['Execution Time'])
    shared = e!.Plan['Shared Hit Blocks'] + e!.Plan['Shared Read Blocks']
    planningShared = e!.Planning
      ? e!.Planning['Shared Hit Blocks'] + e!.Planning['Shared Read Blocks']
      : 0
  }
  sums = {
    planning: sums.planning + median(planning),
    execution: sums.execution + median(execution),
    buffers: sums.buffers + shared,
    planningBuffers: sums.planningBuffers + planningShared,
  }
  const text = execute
    ? `${short(prepares.get(execute[1]!)!.replace(/^prepare \w+ as /, 'PREPARED '))}`
    : short(q.sql)
  console.log(
    `  plan ${median(planning).toFixed(2).padStart(6)} ms, run ${median(execution).toFixed(2).padStart(6)} ms, ${String(shared).padStart(5)} buffers (+${planningShared} planning)  ${text}`,
  )
}
if (statements.some((q) => q.sql.startsWith('execute'))) await client.query('deallocate all')
client.release()
console.log(
  `  in all: planning ${sums.planning.toFixed(2)} ms, execution ${sums.execution.toFixed(2)} ms, ${sums.buffers} buffers (+${sums.planningBuffers} planning)`,
)

/** The CPU (ms) of each backend serving this database, by pid, from /proc. */
async function backendCpu(): Promise<Map<number, number>> {
  const byPid = new Map<number, number>()
  const { rows } = await pool.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database()',
  )
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * 10)
    } catch {
      // gone meanwhile
    }
  }
  return byPid
}

for (let round = 1; round <= 3; round++) {
  const before = await backendCpu()
  const cpu = process.cpuUsage()
  const started = performance.now()
  for (let i = 0; i < REQUESTS; i++) await record(i)
  const wall = performance.now() - started
  const used = process.cpuUsage(cpu)
  let server = 0
  for (const [pid, now] of await backendCpu()) server += now - (before.get(pid) ?? 0)
  console.log(
    `round ${round}: ${REQUESTS} records, app CPU ${((used.user + used.system) / 1000 / REQUESTS).toFixed(2)} ms a request, backends ${(server / REQUESTS).toFixed(2)} ms, wall ${(wall / REQUESTS).toFixed(2)} ms; load ${load()}`,
  )
}
await app.close()
await handle.close()
