/*
 * The Virtual School dashboard's and the cohort export's database work, statement by statement
 * (issue 17), on a generated database: `MEASURE_DATABASE_URL=postgres://… npx node
 * bench/dashboard-statements.ts [authority code]` (the authority with the most children in care
 * if none is named; never write to the bench's own database: point this at a copy). For each
 * way of answering it runs the reads once to capture their statements, then each statement
 * under EXPLAIN (ANALYZE, BUFFERS) five times: its shared buffers (hit + read, which repeat
 * exactly under load) and the median of its execution times; then the reads themselves ten
 * times, the median Node CPU (process.cpuUsage) of a run and the database's: its client backends'
 * CPU over the ten runs (from /proc, this machine's server only; parallel workers, which come and
 * go, not counted), a tenth of it a run. Times depend on the machine's load: say the load average
 * (printed) beside them.
 */
import { readFileSync } from 'node:fs'
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely'
import { openDatabase } from '../src/db/connection.ts'
import type { DB } from '../src/db/schema.ts'
import { termFigures } from '../src/domain/oversight.ts'
import { previousTerm, termOf, type Term } from '../src/domain/terms.ts'
import {
  cohortDay,
  criteriaRatings,
  ratingsByTerm,
  readTermCohort,
} from '../src/features/oversight/cohort.query.ts'
import { readTermFigures } from '../src/features/oversight/figures.query.ts'
import { londonDate } from '../src/domain/calendar-date.ts'
import { cpuSeconds } from './server.ts'

const url = process.env.MEASURE_DATABASE_URL
if (!url) throw new Error('Set MEASURE_DATABASE_URL to a copy of the bench database')
// The app's own pool (its type parsers, JIT off), with every statement captured.
const handle = await openDatabase({ url })
if (handle.kind !== 'postgres') throw new Error('PostgreSQL only')
const pool = handle.pool!
let captured: CompiledQuery[] = []
const db = new Kysely<DB>({
  dialect: new PostgresDialect({ pool }),
  log: (event) => {
    if (event.level === 'query') captured.push(event.query)
  },
})

const code = process.argv[2]
const authority = await (
  code
    ? db.selectFrom('authority').select(['id', 'name']).where('code', '=', code)
    : db
        .selectFrom('authority as a')
        .innerJoin('child as c', 'c.authority_id', 'a.id')
        .select(['a.id', 'a.name'])
        .where('c.ceased_on', 'is', null)
        .groupBy(['a.id', 'a.name'])
        .orderBy((eb) => eb.fn.countAll(), 'desc')
        .limit(1)
).executeTakeFirstOrThrow()
const today = process.env.MEASURE_TODAY ?? londonDate(new Date())
const term = termOf(today)
const sixTerms: Term[] = [term]
while (sixTerms.length < 6) sixTerms.unshift(previousTerm(sixTerms[0]!))

const ways: Record<string, () => Promise<unknown>> = {
  'dashboard, rows counted in JavaScript (before)': async () => {
    const cohort = await readTermCohort(db, authority.id, term, today)
    termFigures(cohort.rows, cohort.frame, cohort.asOf)
    await Promise.all([
      ratingsByTerm(db, authority.id, sixTerms),
      criteriaRatings(db, authority.id, term, cohort.asOf),
    ])
  },
  'dashboard, figures counted in SQL': () =>
    Promise.all([
      readTermFigures(db, authority.id, term, today),
      ratingsByTerm(db, authority.id, sixTerms),
      criteriaRatings(db, authority.id, term, cohortDay(term, today)),
    ]),
  'unpaged cohort read (export, missing data, annual report, reminders)': () =>
    readTermCohort(db, authority.id, term, today),
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!
const short = (s: string) => s.replace(/\s+/g, ' ').slice(0, 90)

interface PlanNode {
  'Shared Hit Blocks': number
  'Shared Read Blocks': number
}

console.log(
  `${authority.name}, ${term.name} ${term.academicYear}, on ${today}; load ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
)
for (const [name, run] of Object.entries(ways)) {
  // MEASURE_WAYS: only the ways whose names contain it.
  if (process.env.MEASURE_WAYS && !name.includes(process.env.MEASURE_WAYS)) continue
  captured = []
  await run()
  const statements = captured
  let buffers = 0
  let ms = 0
  console.log(`\n${name}: ${statements.length} statements`)
  for (const q of statements) {
    const times: number[] = []
    let shared = 0
    for (let i = 0; i < 5; i++) {
      const result = await pool.query(
        `explain (analyze, buffers, format json) ${q.sql}`,
        q.parameters as unknown[],
      )
      const explained = (result.rows[0] as { 'QUERY PLAN': unknown })['QUERY PLAN']
      const [plan] = (typeof explained === 'string' ? JSON.parse(explained) : explained) as {
        Plan: PlanNode
        'Execution Time': number
      }[]
      shared = plan!.Plan['Shared Hit Blocks'] + plan!.Plan['Shared Read Blocks']
      times.push(plan!['Execution Time'])
    }
    if (process.env.MEASURE_PLANS && shared >= Number(process.env.MEASURE_PLANS)) {
      const text = await pool.query(
        `explain (analyze, buffers) ${q.sql}`,
        q.parameters as unknown[],
      )
      console.log(text.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'))
    }
    buffers += shared
    ms += median(times)
    console.log(
      `  ${String(shared).padStart(7)} buffers ${median(times).toFixed(1).padStart(7)} ms  ${short(q.sql)}`,
    )
  }
  const cpu: number[] = []
  // The pool's server processes, already connected by the runs above.
  const backends = (
    await pool.query(
      `select pid from pg_stat_activity where datname = current_database()
        and backend_type = 'client backend'`,
    )
  ).rows.map((r: { pid: number }) => r.pid)
  const backendCpu = () =>
    backends.reduce((sum, pid) => {
      try {
        return sum + cpuSeconds(pid)
      } catch {
        return sum // gone, or another machine's server
      }
    }, 0)
  const serverStarted = backendCpu()
  for (let i = 0; i < 10; i++) {
    const started = process.cpuUsage()
    await run()
    const used = process.cpuUsage(started)
    cpu.push((used.user + used.system) / 1000)
  }
  const serverMs = ((backendCpu() - serverStarted) * 1000) / 10
  console.log(
    `  total ${buffers} buffers, ${ms.toFixed(0)} ms of statements (medians of 5); Node CPU median ${median(cpu).toFixed(0)} ms of 10; database backends' CPU ${serverMs.toFixed(0)} ms a run (${backends.length} backends)`,
  )
}
console.log(`\nload ${readFileSync('/proc/loadavg', 'utf8').trim()}`)
await handle.close()
