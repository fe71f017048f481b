import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import pg from 'pg'
import { openDatabase, type DatabaseHandle, type DatabaseTarget } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { generateBenchData } from './generate.ts'
import { ensureHistory } from './history.ts'
import { measureOversight } from './oversight.ts'
import { runLoad } from './load.ts'
import { runOpenLoop, type OpenLoopResult } from './open-loop.ts'
import { targetFrom, type TargetSpec } from './targets.ts'
import { PROFILES, type Profile } from './profiles.ts'
import { machine, ms, table, type Row } from './report.ts'
import { buildScenario, planScenario } from './scenario.ts'
import { cpuSeconds, rssMb, startServer, type RunningServer } from './server.ts'

/*
 * npm run bench [-- --quick] [-- --database-url postgres://user@host:5432] [-- --county]
 *   [-- --national-database <a copy of openpep_bench_national>]
 *
 * --quick: the small profile on embedded PGlite, short runs (under two minutes).
 * Otherwise: small and national on the PostgreSQL server given by --database-url (or
 * BENCH_DATABASE_URL; databases openpep_bench_small and openpep_bench_national are created and
 * generated if missing), and with --county the county profile on PGlite as well; with
 * --next-term the bulk start of next term's PEPs on a copy of the national database
 * (--only-next-term: that alone).
 * --budgets (npm run bench:budgets): the budgets of quality.md and issues 16, 17 and 19 on the
 * national profile on PostgreSQL alone, in about ten minutes on two cores with the national
 * database already generated: the oversight's dashboard, lists and exports as one consultant
 * uses them, then each page swept open-loop (12 s at 100/s and 200/s, 6 s at the other rates),
 * its knee against the bare page's; no small profile, start-up, import, PDF, capacity or
 * autocannon runs (the full run has them).
 * Prints the table and writes it to bench/results/<date>-<run>.md.
 */

const run = promisify(execFile)
const NODE = process.execPath
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    budgets: { type: 'boolean', default: false },
    county: { type: 'boolean', default: false },
    'database-url': { type: 'string' },
    seconds: { type: 'string' },
    'skip-startup': { type: 'boolean', default: false },
    'next-term': { type: 'boolean', default: false },
    'only-next-term': { type: 'boolean', default: false },
    /** Only these pages (comma-separated keys: tray,child,pepPage,save,childrenList,oversight), and bare. */
    pages: { type: 'string' },
    /** On the server, the small profile only. */
    'small-only': { type: 'boolean', default: false },
    /** Only the load runs: no start-up, import or PDF timings. */
    'load-only': { type: 'boolean', default: false },
    /**
     * The national profile's database on the server (default openpep_bench_national): a copy of
     * it (`create database … template openpep_bench_national`) measures a change, its migrations
     * included, without migrating the shared one. The server's URL alone names no database.
     */
    'national-database': { type: 'string' },
  },
})
const quick = args.quick
const budgets = args.budgets
const serverUrl = args['database-url'] ?? process.env['BENCH_DATABASE_URL']
const nationalDatabase = args['national-database'] ?? 'openpep_bench_national'
if (budgets && !serverUrl) {
  console.error('--budgets runs on PostgreSQL: give --database-url or BENCH_DATABASE_URL')
  process.exit(2)
}
const latencySeconds = Number(args.seconds ?? (quick ? 5 : budgets ? 12 : 15))
/** Seconds measured at a rate: in --budgets, the budgets' rates (100/s, 200/s) in full, the sweep's others shorter. */
const secondsAt = (rate: number) =>
  budgets && !args.seconds && rate !== 100 && rate !== 200 ? 6 : latencySeconds
/** Halvings between the last rate under the knee and the first over it. */
const halvings = budgets ? 2 : 3
const warmupSeconds = quick ? 1 : 2
const capacitySeconds = quick ? 4 : 10
const only = args.pages ? args.pages.split(',') : []
const today = new Date().toISOString().slice(0, 10)
const log = (line: string) => console.log(line)
const rows: Row[] = []
const notes: string[] = []

// ---------------------------------------------------------------------------------------------
// Start-up on PGlite: the first start creates, migrates and seeds; the second opens it.

async function measureStartup() {
  const dir = mkdtempSync(join(tmpdir(), 'openpep-bench-start-'))
  const env = { PGLITE_DIR: join(dir, 'pglite'), LOG_LEVEL: 'warn', SEED_DEMO: 'auto' }
  try {
    log('Start-up (npm start, embedded PGlite)')
    const first = await startServer(['npm', 'start', '--silent'], env)
    await first.stop()
    const second = await startServer(['npm', 'start', '--silent'], env)
    const rss = rssMb(second.serverPid())
    await second.stop()
    log(`  first ${ms(first.startMs)}, existing ${ms(second.startMs)}, RSS ${Math.round(rss)} MB`)
    rows.push(
      {
        figure: '`npm start` on PGlite to first page, existing database',
        budget: '≤ 2 s',
        measured: ms(second.startMs),
        pass: second.startMs <= 2000,
      },
      {
        figure: '`npm start` on PGlite, first start (create, migrate, seed)',
        budget: '≤ 20 s',
        measured: ms(first.startMs),
        pass: first.startMs <= 20_000,
      },
      {
        figure: 'server RSS after start (PGlite, demo data, idle)',
        budget: '≤ 400 MB',
        measured: `${Math.round(rss)} MB`,
        pass: rss <= 400,
      },
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// Data: generated once per database and kept.

async function ensureServerDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name])
    if (found.rowCount === 0) await admin.query(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(serverUrl!)
  url.pathname = `/${name}`
  return url.toString()
}

async function ensureData(target: DatabaseTarget, profile: Profile): Promise<void> {
  const handle: DatabaseHandle = await openDatabase(target)
  try {
    await migrateToLatest(handle.db)
    const authorities = await handle.db
      .selectFrom('authority')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    if (Number(authorities.n) > 0) {
      log(`  ${profile.name}: data already generated`)
      return
    }
    log(`  ${profile.name}: generating`)
    const started = performance.now()
    const counts = await generateBenchData(handle.db, profile, { today: new Date(), log })
    const seconds = (performance.now() - started) / 1000
    log(`  generated in ${seconds.toFixed(1)} s: ${JSON.stringify(counts)}`)
    notes.push(`${profile.name} generated in ${seconds.toFixed(0)} s: ${JSON.stringify(counts)}`)
  } finally {
    await handle.close()
  }
}

async function withDatabase<T>(
  target: DatabaseTarget,
  use: (db: DatabaseHandle['db']) => Promise<T>,
): Promise<T> {
  const handle = await openDatabase(target)
  try {
    return await use(handle.db)
  } finally {
    await handle.close()
  }
}

async function describeData(target: DatabaseTarget): Promise<string> {
  const handle = await openDatabase(target)
  try {
    const count = async (table: 'child' | 'pep' | 'pep_page' | 'app_user' | 'audit_event') =>
      Number(
        (
          await handle.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ).toLocaleString('en-GB')
    return `${await count('child')} children, ${await count('pep')} PEPs, ${await count('pep_page')} PEP pages, ${await count('app_user')} users, ${await count('audit_event')} audit rows`
  } finally {
    await handle.close()
  }
}

// ---------------------------------------------------------------------------------------------
// Load. Latency open-loop (bench/open-loop.ts): every page swept over rates until its p99
// passes 1 s, its knee found between the last rate under 50 ms p95 and the first over. Then,
// closed-loop (autocannon), each page's capacity, and autocannon's rate-limited run beside the
// open-loop one on the work tray, to show what the two instruments say of the same page.

const PAGE_BUDGET_KEYS = ['tray', 'child', 'pepContents', 'pepPage', 'save']
const sweeps: Record<string, Record<string, Sweep>> = {}

interface Sweep {
  name: string
  runs: OpenLoopResult[]
  /** The highest rate measured whose p95 stayed under 50 ms (0 if none). */
  knee: number
  /** Server CPU per request at 100/s, in ms. */
  cpuPerRequestMs?: number
}

const KNEE_MS = 50
const clean = (r: OpenLoopResult) => r.bad + r.errors === 0
const underKnee = (r: OpenLoopResult) => clean(r) && r.p95 < KNEE_MS

async function sweep(
  server: RunningServer,
  spec: TargetSpec,
  options: { rates: number[]; maxRate: number },
): Promise<Sweep> {
  const runs: OpenLoopResult[] = []
  let cpuPerRequestMs: number | undefined
  const at = async (rate: number) => {
    const before = cpuSeconds(server.serverPid())
    const seconds = secondsAt(rate)
    const result = await runOpenLoop(server.baseUrl, spec, {
      rate,
      seconds,
      warmupSeconds: warmupSeconds,
      seed: rate,
    })
    const cpu = cpuSeconds(server.serverPid()) - before
    if (rate === 100) cpuPerRequestMs = (cpu * 1000) / (rate * (seconds + warmupSeconds))
    runs.push(result)
    // A saturated run leaves the server working through requests the generator gave up on:
    // wait until it answers promptly again, so the next run does not measure that backlog.
    if (result.errors > 0 || result.p99 > 1000) await drained(server.baseUrl)
    log(
      `  ${spec.name} at ${rate}/s: p50 ${ms(result.p50)} p95 ${ms(result.p95)} p99 ${ms(result.p99)} max ${ms(result.max)}, ${result.achievedRate.toFixed(0)}/s answered, statuses ${JSON.stringify(result.statuses)}${result.errors ? `, ${result.errors} errors` : ''}; server CPU ${((cpu * 1000) / (rate * (seconds + warmupSeconds))).toFixed(1)} ms/request, generator ${result.generatorCpuMsPerSecond.toFixed(0)} ms CPU/s, send lag p99 ${result.sendLagP99.toFixed(1)} ms`,
    )
    return result
  }
  // Up the fixed rates until p99 passes 1 s (or the rates run out), then on up by doubling.
  let good = 0
  let badRate = 0
  for (let rate = options.rates[0]!, i = 0; rate <= options.maxRate;) {
    const result = await at(rate)
    if (underKnee(result)) good = Math.max(good, rate)
    else badRate = badRate || rate
    if (result.p99 > 1000 || !clean(result)) break
    rate = options.rates[++i] ?? rate * 2
  }
  // Narrow the knee between the last good rate and the first bad one: three halvings.
  if (badRate && badRate > good) {
    let low = good
    let high = badRate
    for (let step = 0; step < halvings && high - low > 10; step++) {
      const mid = Math.round((low + high) / 2 / 5) * 5
      if (underKnee(await at(mid))) low = mid
      else high = mid
    }
    good = low
  }
  return {
    name: spec.name,
    runs: runs.sort((a, b) => a.rate - b.rate),
    knee: good,
    cpuPerRequestMs,
  }
}

/** Until the sign-in page answers within 100 ms three times running (at most 60 s). */
async function drained(baseUrl: string): Promise<void> {
  const until = performance.now() + 60_000
  for (let prompt = 0; prompt < 3 && performance.now() < until;) {
    const started = performance.now()
    try {
      await (await fetch(`${baseUrl}/sign-in`)).arrayBuffer()
      prompt = performance.now() - started < 100 ? prompt + 1 : 0
    } catch {
      prompt = 0
    }
    await new Promise((r) => setTimeout(r, 200))
  }
}

const runAt = (s: Sweep | undefined, rate: number) => s?.runs.find((r) => r.rate === rate)

async function measureLoad(label: string, target: DatabaseTarget, env: Record<string, string>) {
  log(`Load: ${label}`)
  const onPglite = !('url' in target)
  const plan = await withDatabase(target, async (db) => {
    const planned = await planScenario(db, today)
    // Issue 19: the record of each child the social workers open carries five years of history.
    const children = [...new Set(planned.workers.flatMap((w) => w.peps.map((p) => p.childId)))]
    const history = await ensureHistory(db, children, today)
    log(
      `  five years of history: ${history.children} children${history.added ? ` (${history.added} given it now)` : ''}`,
    )
    return planned
  })
  const server: RunningServer = await startServer([NODE, 'src/main.ts'], {
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'never',
    OUTBOX_POLL_MS: '60000',
    ...env,
  })
  let peakRss = rssMb(server.serverPid())
  const sampler = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, rssMb(server.serverPid()))
    } catch {
      // exiting
    }
  }, 250)
  try {
    const scenario = await buildScenario(plan, server.baseUrl, log)
    const failedRoles = scenario.roles.filter((r) => r.home !== 200)
    rows.push({
      figure: `${label}: sign in through the form as each role, then home page`,
      budget: '200',
      measured: `${scenario.roles.length - failedRoles.length} of ${scenario.roles.length} roles`,
      pass: failedRoles.length === 0,
    })
    if (only.length === 0 || only.includes('oversight')) {
      const consultant = scenario.targets.find((t) => t.key === 'childrenList')
      if (consultant?.kind === 'get') {
        // The server's CPU: its process, and on PostgreSQL the backends serving its database
        // (read from /proc; a parallel query's workers, which come and go, not counted).
        const watcher =
          'url' in target ? new pg.Client({ connectionString: target.url }) : undefined
        await watcher?.connect()
        const cpu = async () => {
          const backends = new Map<number, number>()
          if (watcher) {
            const found = await watcher.query<{ pid: number }>(
              `select pid from pg_stat_activity where datname = current_database()
                and backend_type = 'client backend' and pid <> pg_backend_pid()`,
            )
            for (const { pid } of found.rows) {
              try {
                backends.set(pid, cpuSeconds(pid))
              } catch {
                // gone since
              }
            }
          }
          return { app: cpuSeconds(server.serverPid()), backends }
        }
        try {
          rows.push(
            ...(await measureOversight(
              label,
              server.baseUrl,
              consultant.requests[0]!.cookie,
              log,
              cpu,
            )),
          )
        } finally {
          await watcher?.end()
        }
      }
    }
    const results: Record<string, Sweep> = {}
    sweeps[label] = results
    for (const spec of scenario.targets) {
      if (only.length > 0 && spec.key !== 'bare' && !only.includes(spec.key)) continue
      // In --budgets the children list is timed with the oversight's lists, as one consultant.
      if (budgets && spec.key === 'childrenList') continue
      results[spec.key] = await sweep(server, spec, {
        rates: quick ? [50, 100, 200, 400] : [50, 100, 200, 400],
        maxRate: 3200,
      })
    }
    const bare = results['bare']!
    rows.push({
      figure: `${label}: ${bare.name}, knee (highest rate with p95 < ${KNEE_MS} ms, open-loop)`,
      budget: 'reference',
      measured: `${bare.knee}/s`,
    })
    for (const [key, result] of Object.entries(results)) {
      if (key === 'bare') continue
      const at100 = runAt(result, 100)
      const at200 = runAt(result, 200)
      const isPage = PAGE_BUDGET_KEYS.includes(key)
      const describe = (r: OpenLoopResult | undefined, p: 'p95' | 'p99') =>
        r
          ? `${ms(r[p])}${clean(r) ? '' : ` (${r.bad + r.errors} failed)`}`
          : `not run: p99 passed 1 s at ${Math.max(...result.runs.map((x) => x.rate))}/s`
      if (key === 'childrenList') {
        const budget = label.includes('national') ? 300 : 300
        rows.push({
          figure: `${label}: ${result.name}, p95 at 100/s`,
          budget: `≤ ${budget} ms`,
          measured: describe(at100, 'p95'),
          pass: !!at100 && clean(at100) && at100.p95 <= budget,
        })
        continue
      }
      const p95Budget = onPglite ? 50 : 25
      rows.push({
        figure: `${label}: ${result.name}, p95 at 100/s`,
        budget: `≤ ${p95Budget} ms`,
        measured: describe(at100, 'p95'),
        pass: isPage ? !!at100 && clean(at100) && at100.p95 <= p95Budget : undefined,
      })
      if (!onPglite) {
        rows.push({
          figure: `${label}: ${result.name}, p99 at 100/s`,
          budget: '≤ 60 ms',
          measured: describe(at100, 'p99'),
          pass: isPage ? !!at100 && clean(at100) && at100.p99 <= 60 : undefined,
        })
        rows.push({
          figure: `${label}: ${result.name}, p95 at 200/s`,
          budget: '≤ 50 ms',
          measured: describe(at200, 'p95'),
          pass: isPage ? !!at200 && clean(at200) && at200.p95 <= 50 : undefined,
        })
      }
      const share = bare.knee ? result.knee / bare.knee : 0
      rows.push({
        figure: `${label}: ${result.name}, knee / bare page's`,
        budget: '≥ 0.7',
        measured: `${share.toFixed(2)} (${result.knee}/s)`,
        pass: isPage ? share >= 0.7 : undefined,
      })
    }
    for (const [key, result] of Object.entries(results))
      if (result.cpuPerRequestMs !== undefined)
        rows.push({
          figure: `${label}: ${result.name}, server CPU per request at 100/s`,
          budget: 'information',
          measured: `${result.cpuPerRequestMs.toFixed(1)} ms${key === 'bare' ? '' : ` (${(result.cpuPerRequestMs / bare.cpuPerRequestMs!).toFixed(1)}× bare)`}`,
        })

    // The two instruments side by side, on the work tray at 100/s; then capacity (not in --budgets).
    if (!budgets) {
      const tray = scenario.targets.find((t) => t.key === 'tray')!
      const limited = await runLoad(server.baseUrl, targetFrom(tray, server.baseUrl), {
        connections: 20,
        overallRate: 100,
        durationSeconds: latencySeconds,
      })
      const open = runAt(results['tray'], 100)
      log(
        `  ${tray.name} at 100/s, autocannon overallRate: p50 ${ms(limited.p50)} p95 ${ms(limited.p95)} p99 ${ms(limited.p99)}`,
      )
      rows.push({
        figure: `${label}: ${tray.name} at 100/s, autocannon \`overallRate\` (20 connections) against open-loop Poisson`,
        budget: 'information',
        measured: `p50/p95/p99 ${ms(limited.p50)} / ${ms(limited.p95)} / ${ms(limited.p99)} against ${open ? `${ms(open.p50)} / ${ms(open.p95)} / ${ms(open.p99)}` : 'not measured'}`,
      })

      // Closed-loop capacity at saturation (50 connections).
      const capacity: Record<string, number> = {}
      for (const spec of scenario.targets) {
        if (spec.key === 'childrenList' || !(spec.key in results)) continue
        const connections = spec.kind === 'save' ? Math.min(50, scenario.saveSlots) : 50
        const result = await runLoad(server.baseUrl, targetFrom(spec, server.baseUrl), {
          connections,
          durationSeconds: capacitySeconds,
        })
        capacity[spec.key] = result.rps
        const ratio = spec.key === 'bare' ? undefined : result.rps / capacity['bare']!
        log(
          `  capacity: ${result.name} ${Math.round(result.rps)}/s${ratio ? `, ${ratio.toFixed(2)} of bare` : ''}, statuses ${JSON.stringify(result.statuses)}`,
        )
        rows.push({
          figure: `${label}: capacity of ${result.name} (closed-loop, ${connections} connections)`,
          budget: 'information',
          measured: `${Math.round(result.rps)}/s${ratio ? ` (${ratio.toFixed(2)} of bare)` : ''}${result.bad + result.errors > 0 ? `, ${result.bad + result.errors} failed` : ''}`,
        })
      }
    }
    const rssAfter = rssMb(server.serverPid())
    rows.push({
      figure: `${label}: server RSS, peak under the load above / after it`,
      budget: '≤ 400 MB',
      measured: `${Math.round(peakRss)} MB / ${Math.round(rssAfter)} MB`,
      pass: onPglite ? rssAfter <= 400 : peakRss <= 400,
    })
  } finally {
    clearInterval(sampler)
    await server.stop()
  }
}

function ratios(small: string, large: string) {
  for (const key of PAGE_BUDGET_KEYS) {
    const a = runAt(sweeps[small]?.[key], 100)
    const b = runAt(sweeps[large]?.[key], 100)
    if (!a || !b) continue
    const ratio = b.p95 / a.p95
    rows.push({
      figure: `${a.name}: p95 at 100/s, ${large} / ${small}`,
      budget: '≤ 1.2',
      measured: `${ratio.toFixed(2)} (${ms(b.p95)} / ${ms(a.p95)})`,
      pass: ratio <= 1.2,
    })
  }
}

// ---------------------------------------------------------------------------------------------
// One-off timings, each in a fresh process.

async function measurePdf(url: string) {
  const { stdout } = await run(NODE, ['bench/pdf.ts', url])
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
    pages: number
    firstMs: number
    warmMs: number
    firstCpuMs: number
    warmCpuMs: number
  }
  log(
    `PDF: first ${result.firstMs} ms (${result.firstCpuMs} ms CPU), then ${result.warmMs} ms (${result.warmCpuMs} ms CPU) (${result.pages} pages answered, every script)`,
  )
  rows.push(
    {
      figure: `a full PEP as PDF (${result.pages} pages answered and every script), first in a process`,
      budget: '≤ 1 s',
      measured: `${ms(result.firstMs)} (${ms(result.firstCpuMs)} CPU)`,
      pass: result.firstMs <= 1000,
    },
    {
      figure: 'a full PEP as PDF, later ones (median of 5)',
      budget: '≤ 300 ms',
      measured: `${ms(result.warmMs)} (${ms(result.warmCpuMs)} CPU)`,
      pass: result.warmMs <= 300,
    },
  )
}

async function measureImport() {
  const { stdout } = await run(NODE, ['bench/import.ts'], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
  })
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as { status: number; ms: number }
  log(`Import of 10,000 children: ${result.ms} ms (status ${result.status})`)
  rows.push({
    figure: 'import of 10,000 children from CSV (PGlite, through the upload form)',
    budget: '≤ 10 s',
    measured: `${(result.ms / 1000).toFixed(1)} s`,
    pass: result.status === 303 && result.ms <= 10_000,
  })
}

/** Issue 18: a payment run over a national authority's year, made and exported (PGlite). */
async function measurePaymentRun() {
  const { stdout } = await run(NODE, ['bench/payment-run.ts'], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
  })
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
    status: number
    lines: number
    madeMs: number
    csvMs: number
    csvStatus: number
    xlsxMs: number
    xlsxStatus: number
  }
  log(
    `Payment run of ${result.lines} lines: made ${result.madeMs} ms, CSV ${result.csvMs} ms, .xlsx ${result.xlsxMs} ms`,
  )
  const ok = result.status === 303 && result.csvStatus === 200 && result.xlsxStatus === 200
  rows.push(
    {
      figure: `payment run over a national authority's year (${result.lines.toLocaleString('en-GB')} lines, PGlite): made and exported as CSV`,
      budget: '≤ 2 s',
      measured: ms(result.madeMs + result.csvMs),
      pass: ok && result.madeMs + result.csvMs <= 2000,
    },
    {
      figure: 'the same run exported as .xlsx',
      budget: '≤ 2 s',
      measured: ms(result.xlsxMs),
      pass: ok && result.xlsxMs <= 2000,
    },
  )
}

/** Next term's PEPs for every child, by the bulk start job, on a copy of the national database. */
async function measureNextTerm(): Promise<boolean> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  const copy = 'openpep_bench_nextterm'
  try {
    await admin.query(`drop database if exists ${copy}`)
    const at = performance.now()
    await admin.query(`create database ${copy} template openpep_bench_national`)
    log(`Next term: copied the national database in ${ms(performance.now() - at)}`)
  } finally {
    await admin.end()
  }
  const url = new URL(serverUrl!)
  url.pathname = `/${copy}`
  try {
    const { stdout } = await run(NODE, ['bench/next-term.ts', url.toString()], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      maxBuffer: 16 * 2 ** 20,
    })
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
      term: string
      childrenInCare: number
      started: number
      ms: number
    }
    log(`  ${result.started} PEPs started for ${result.term} in ${ms(result.ms)}`)
    rows.push({
      figure: `next-term PEPs for every child at national size (bulk start job, ${result.started.toLocaleString('en-GB')} of ${result.childrenInCare.toLocaleString('en-GB')} children in care)`,
      budget: '≤ 60 s',
      measured: `${(result.ms / 1000).toFixed(1)} s`,
      pass: result.ms <= 60_000 && result.started >= result.childrenInCare * 0.9,
    })
    return true
  } finally {
    const cleanup = new pg.Client({ connectionString: serverUrl })
    await cleanup.connect()
    await cleanup.query(`drop database if exists ${copy}`).finally(() => cleanup.end())
  }
}

// ---------------------------------------------------------------------------------------------

const started = performance.now()
const loadAtStart = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ')
const databases: string[] = []
let nextTermMeasured = false
if (args['only-next-term']) {
  nextTermMeasured = await measureNextTerm()
} else if (!budgets) {
  if (!args['skip-startup'] && !args['load-only']) await measureStartup()
  if (!args['load-only']) await measureImport()
  if (!args['load-only']) await measurePaymentRun()
}

if (args['only-next-term']) {
  databases.push('national: a copy of openpep_bench_national, dropped afterwards')
} else if (budgets) {
  log('Data')
  const nationalUrl = await ensureServerDatabase(nationalDatabase)
  await ensureData({ url: nationalUrl }, PROFILES.national)
  databases.push(
    `national: ${nationalUrl.replace(/\/\/[^@]*@/, '//')} (${await describeData({ url: nationalUrl })})`,
  )
  await measureLoad('national', { url: nationalUrl }, { DATABASE_URL: nationalUrl })
} else if (quick || !serverUrl) {
  if (!quick) log('No --database-url or BENCH_DATABASE_URL: running the small profile on PGlite.')
  const dir = join('data', 'bench', 'small')
  mkdirSync(dir, { recursive: true })
  const target = { pgliteDir: dir }
  log('Data')
  await ensureData(target, PROFILES.small)
  databases.push(`small: embedded PGlite in ${dir} (${await describeData(target)})`)
  await measureLoad('small (PGlite)', target, { PGLITE_DIR: dir })
} else {
  log('Data')
  const redacted = (u: string) => u.replace(/\/\/[^@]*@/, '//')
  const smallUrl = await ensureServerDatabase('openpep_bench_small')
  await ensureData({ url: smallUrl }, PROFILES.small)
  databases.push(`small: ${redacted(smallUrl)} (${await describeData({ url: smallUrl })})`)
  await measureLoad('small', { url: smallUrl }, { DATABASE_URL: smallUrl })
  if (!args['small-only']) {
    const nationalUrl = await ensureServerDatabase(nationalDatabase)
    await ensureData({ url: nationalUrl }, PROFILES.national)
    databases.push(
      `national: ${redacted(nationalUrl)} (${await describeData({ url: nationalUrl })})`,
    )
    await measureLoad('national', { url: nationalUrl }, { DATABASE_URL: nationalUrl })
    ratios('small', 'national')
    if (!args['load-only']) await measurePdf(nationalUrl)
  }
  if (args.county) {
    const dir = join('data', 'bench', 'county')
    mkdirSync(dir, { recursive: true })
    await ensureData({ pgliteDir: dir }, PROFILES.county)
    databases.push(`county: embedded PGlite in ${dir} (${await describeData({ pgliteDir: dir })})`)
    await measureLoad('county (PGlite)', { pgliteDir: dir }, { PGLITE_DIR: dir })
  }
  if (args['next-term']) nextTermMeasured = await measureNextTerm()
}
if (!nextTermMeasured && !budgets)
  rows.push({
    figure: 'next-term PEPs for every child at national size',
    budget: '≤ 60 s',
    measured: 'not measured in this run (--next-term, on PostgreSQL)',
  })
// The Virtual School's dashboard, its lists and exports are measured with each load run above
// (bench/oversight.ts); the cohort read at 3,000 children alone: bench/cohort.ts.

const name = args['only-next-term']
  ? 'next-term-national'
  : budgets
    ? 'budgets-national'
    : quick
      ? 'quick-small'
      : serverUrl
        ? `small${args['small-only'] ? '' : '-national'}${args.county ? '-county' : ''}`
        : 'small'
const text = [
  `# Bench ${today} (${quick ? 'quick, small profile' : budgets ? 'budgets, national profile on PostgreSQL' : name})`,
  '',
  `Machine: ${machine()}. App, database and load generator on this one machine, shared with other work: load average ${loadAtStart} at the start of the run, ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at the end.`,
  '',
  'Databases:',
  ...databases.map((d) => `- ${d}`),
  '',
  `Latency: open-loop (bench/open-loop.ts, its own process), Poisson arrivals at each rate for ${budgets && !args.seconds ? `${latencySeconds} s at 100 and 200/s, 6 s at the others,` : `${latencySeconds} s`} after ${warmupSeconds} s of warm-up, each latency from its scheduled send time, percentiles from an HDR histogram; rates 50, 100, 200, 400/s and doubling until p99 passes 1 s, then ${halvings === 3 ? 'three' : 'two'} halvings to find the knee (p95 < 50 ms). ${budgets ? 'The oversight pages one request after another, as one consultant.' : `Capacity: autocannon, closed-loop, 50 connections for ${capacitySeconds} s.`} The server runs with LOG_LEVEL=warn.`,
  '',
  table(rows),
  '',
  ...(notes.length ? ['Notes:', ...notes.map((n) => `- ${n}`), ''] : []),
  `Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  '',
].join('\n')
console.log(`\n${text}`)
mkdirSync('bench/results', { recursive: true })
const file = join('bench', 'results', `${today}-${name}.md`)
writeFileSync(file, text)
console.log(`Written to ${file}`)
if (rows.some((r) => r.pass === false)) process.exitCode = 1
