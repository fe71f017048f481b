/*
 * One page the budgets name (issue 16), statement by statement, on a generated database:
 * `MEASURE_DATABASE_URL=postgres://… node bench/page-statements.ts [page] [requests]`, where
 * `page` is a key of bench/scenario.ts (tray, child, pepContents, pepPage, save; child unless
 * given). Never the bench's own database: it gives the social workers' children five years of
 * history, as the bench does, and a save writes, so point it at a copy. The real app listens in
 * this process on the app's own pool; the scenario signs in through the form as the bench does
 * and asks for the page in turn over the social workers' children and PEPs. It prints:
 *
 * - the statements of one request, each with EXPLAIN (ANALYZE, BUFFERS) run on a connection of
 *   its own (a prepared statement is prepared there and run six times first, so its plan is the
 *   one PostgreSQL keeps; a write in a transaction rolled back): planning and execution time
 *   (medians of five) and shared buffers, hit or read, of the plan and of planning;
 * - then `requests` requests (200 unless given) three times, after a warm-up: this process's CPU
 *   a request (the app and the HTTP client) and the CPU of the server's backends for this
 *   database (from /proc, as bench/attendance-import.ts).
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
import { ensureHistory } from './history.ts'
import type { LoadRequest } from './load.ts'
import { buildScenario, planScenario } from './scenario.ts'
import { backendCpuMs, cpuSeconds } from './server.ts'
import { targetFrom } from './targets.ts'

const url = process.env.MEASURE_DATABASE_URL
if (!url) throw new Error('Set MEASURE_DATABASE_URL to a copy of a bench database')
const PAGE = process.argv[2] ?? 'child'
const REQUESTS = Number(process.argv[3] ?? 200)
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
const children = [...new Set(plan.workers.flatMap((w) => w.peps.map((p) => p.childId)))]
await ensureHistory(db, children, today)

const app = await buildApp({
  config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }),
  db,
  clock: systemClock,
})
const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' })
const scenario = await buildScenario(plan, baseUrl, console.log)
const spec = scenario.targets.find((t) => t.key === PAGE)
if (!spec)
  throw new Error(`No page ${PAGE}: one of ${scenario.targets.map((t) => t.key).join(', ')}`)
const target = targetFrom(spec, baseUrl)
await target.prepare?.()
const ok = target.ok ?? [200]
const send = async () => {
  const request: LoadRequest = target.next()
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
  })
  await response.arrayBuffer()
  target.done?.(request, response.status)
  if (!ok.includes(response.status)) refusals.push(`${response.status} ${request.path}`)
}
/** Requests answered otherwise than the bench expects: counted and shown, not measured apart. */
const refusals: string[] = []
// Warm: every connection of the pool past its first PREPAREs and its five custom plans.
for (let i = 0; i < 60; i++) await send()

console.log(`${spec.name}; load ${load()}`)
captured = []
await send()
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

// Explained and replayed on a pool of its own, with the app's settings: DEALLOCATE on one of the
// app's connections would take its prepared statements from under it (an EXECUTE in a
// transaction that finds its statement gone fails the transaction).
const aside = await openDatabase({ url })
const client = await aside.pool!.connect()
let sums = { planning: 0, execution: 0, buffers: 0, planningBuffers: 0 }
console.log(`\n${statements.length} statements a request (planning, execution: medians of 5)`)
for (const q of statements) {
  // A setting around a statement (the tray count's generic plan) is sent as it is, not explained;
  // a transaction's bounds are only listed (each write below is explained in one of its own).
  if (/^(set|reset) /.test(q.sql)) {
    await client.query(q.sql)
    console.log(`  (sent as it is)                                          ${q.sql}`)
    continue
  }
  if (/^(begin|commit|rollback|savepoint|release)\b/i.test(q.sql.trim())) {
    console.log(`  (listed only)                                            ${q.sql}`)
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
  let refused: string | undefined
  for (let i = 0; i < 5 && !refused; i++) {
    if (writes) await client.query('begin')
    const result = await client
      .query(`explain (analyze, buffers, format json) ${q.sql}`, q.parameters as unknown[])
      .catch((error: Error) => {
        // A write the app made already (a page's next revision) cannot be made twice.
        if (!writes) throw error
        refused = error.message
        return undefined
      })
    if (writes) await client.query('rollback')
    if (!result) break
    const explained = (result.rows[0] as { 'QUERY PLAN': unknown })['QUERY PLAN']
    const [e] = (typeof explained === 'string' ? JSON.parse(explained) : explained) as Explained[]
    planning.push(e!['Planning Time'])
    execution.push(e!['Execution Time'])
    shared = e!.Plan['Shared Hit Blocks'] + e!.Plan['Shared Read Blocks']
    planningShared = e!.Planning
      ? e!.Planning['Shared Hit Blocks'] + e!.Planning['Shared Read Blocks']
      : 0
  }
  if (refused) {
    console.log(`  (not explained: ${refused})  ${short(q.sql)}`)
    continue
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

// The same statements again, alone: sent one after another on one connection as the app sent
// them (writes in a transaction rolled back), so the backend's CPU for the statements themselves
// can be told from what serving the page through the app's pool adds.
{
  const replay = await aside.pool!.connect()
  const { rows } = await replay.query<{ pid: number }>('select pg_backend_pid() as pid')
  const cpuOf = () => cpuSeconds(rows[0]!.pid) * 1000
  const prepared = new Set<string>()
  const once = async () => {
    await replay.query('begin')
    for (const q of statements) {
      if (/^(begin|commit|rollback|savepoint|release)\b/i.test(q.sql.trim())) continue
      const execute = /^execute (\w+)/.exec(q.sql)
      if (execute && !prepared.has(execute[1]!)) {
        await replay.query(prepares.get(execute[1]!)!)
        prepared.add(execute[1]!)
      }
      // A write the app made already may not be made twice: it is tried, and undone if refused.
      const writes = /^(insert|update|delete)\b/i.test(q.sql.trim())
      if (writes) await replay.query('savepoint s')
      await replay.query(q.sql, q.parameters as unknown[]).catch(() => undefined)
      if (writes) await replay.query('rollback to savepoint s')
    }
    await replay.query('rollback')
  }
  for (let i = 0; i < 20; i++) await once()
  const before = cpuOf()
  for (let i = 0; i < REQUESTS; i++) await once()
  console.log(
    `the statements alone on one connection: backend ${((cpuOf() - before) / REQUESTS).toFixed(2)} ms a request (in one transaction rolled back, a savepoint around each write)`,
  )
  await replay.query('deallocate all')
  replay.release()
}

for (let round = 1; round <= 3; round++) {
  const before = await backendCpuMs(db)
  const cpu = process.cpuUsage()
  const started = performance.now()
  for (let i = 0; i < REQUESTS; i++) await send()
  const wall = performance.now() - started
  const used = process.cpuUsage(cpu)
  let server = 0
  for (const [pid, now] of await backendCpuMs(db)) server += now - (before.get(pid) ?? 0)
  console.log(
    `round ${round}: ${REQUESTS} requests, app CPU ${((used.user + used.system) / 1000 / REQUESTS).toFixed(2)} ms a request, backends ${(server / REQUESTS).toFixed(2)} ms, wall ${(wall / REQUESTS).toFixed(2)} ms; load ${load()}`,
  )
}
if (refusals.length > 0)
  console.log(
    `${refusals.length} requests not answered as expected, e.g. ${[...new Set(refusals)].slice(0, 3).join('; ')}`,
  )
await app.close()
await aside.close()
await handle.close()
