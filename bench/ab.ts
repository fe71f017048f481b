import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openDatabase, type DatabaseTarget } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { generateBenchData } from './generate.ts'
import http from 'node:http'
import { runOpenLoop, type OpenLoopResult } from './open-loop.ts'
import { PROFILES } from './profiles.ts'
import { buildScenario, planScenario, type Scenario } from './scenario.ts'
import { targetFrom } from './targets.ts'
import { cpuSeconds, peakRssMb, rssMb, startServer, type RunningServer } from './server.ts'

/*
 * npm run bench:ab -- --base <dir> [--pages tray,child] [--rate 100] [--rounds 3] [--seconds 8]
 *
 * Two versions of the app measured side by side in one run, on the same data: `--base` is a
 * checkout of the other version (e.g. `git archive <commit> | tar -x -C <dir>`, with this
 * checkout's node_modules linked in), against this checkout. Each gets its own copy of the small
 * profile on PGlite; both servers run at once and the open-loop runs alternate between them
 * (A B, then B A, round after round), so a busy machine slows both alike. For each page it
 * reports the median over rounds of p50/p95/p99 and of the server's CPU per request (read from
 * /proc, the least noisy figure on a shared machine), with the load average at each run. Then
 * start-up on the existing database (alternately, `--starts` times each) and RSS after start and
 * after the load.
 */

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    pages: { type: 'string', default: 'bare,tray,child,pepContents,pepPage,save' },
    rate: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '8' },
    starts: { type: 'string', default: '3' },
    /** Requests per page in the sequential loop (one at a time, A and B alternately). */
    sequential: { type: 'string', default: '300' },
    /** Only the start-ups and the RSS after each. */
    'startup-only': { type: 'boolean', default: false },
  },
})
if (!args.base) throw new Error('--base <dir>: a checkout of the version to compare with')
const NODE = process.execPath
const rate = Number(args.rate)
const rounds = Number(args.rounds)
const seconds = Number(args.seconds)
const warmupSeconds = 2
const pages = args.pages.split(',')
const log = (line: string) => console.log(line)
const load = () => loadavg()[0]!.toFixed(1)
const today = new Date().toISOString().slice(0, 10)

const sides = [
  { name: 'A (base)', cwd: resolve(args.base) },
  { name: 'B (this)', cwd: process.cwd() },
].map((side) => ({
  ...side,
  // What `npm start` runs (src/main.ts since the compile cache; src/server.ts before).
  entry: existsSync(join(side.cwd, 'src/main.ts')) ? 'src/main.ts' : 'src/server.ts',
}))

// The same generated data for both: made once here, copied for each side.
const source = join('data', 'bench', 'small')
if (!existsSync(join(source, 'PG_VERSION'))) {
  mkdirSync(source, { recursive: true })
  const handle = await openDatabase({ pgliteDir: source })
  try {
    await migrateToLatest(handle.db)
    log('Generating the small profile')
    await generateBenchData(handle.db, PROFILES.small, { today: new Date(), log })
  } finally {
    await handle.close()
  }
}
const scratch = mkdtempSync(join(tmpdir(), 'openpep-ab-'))
const dirs = sides.map((_, i) => {
  const dir = join(scratch, String(i))
  cpSync(source, dir, { recursive: true })
  return dir
})
// Both copies are the same, so one plan serves both.
const planTarget: DatabaseTarget = { pgliteDir: dirs[0]! }
const planHandle = await openDatabase(planTarget)
const plan = await planScenario(planHandle.db, today)
await planHandle.close()
cpSync(dirs[0]!, dirs[1]!, { recursive: true, force: true })

const env = (dir: string) => ({
  LOG_LEVEL: 'warn',
  SEED_DEMO: 'never',
  OUTBOX_POLL_MS: '60000',
  PGLITE_DIR: dir,
})

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
const f = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1))

// Start-up on the existing database, alternately, and RSS after start.
// The wall time means little on a busy machine; the server's CPU up to its first page (all its
// threads, from /proc) and its peak RSS (VmHWM) are read too.
const startups: number[][] = [[], []]
const cpuStart: number[][] = [[], []]
const rssStart: number[][] = [[], []]
const peakStart: number[][] = [[], []]
for (let i = 0; i < Number(args.starts); i++) {
  for (const s of i % 2 ? [1, 0] : [0, 1]) {
    const server = await startServer([NODE, sides[s]!.entry], env(dirs[s]!), {
      cwd: sides[s]!.cwd,
    })
    const cpu = cpuSeconds(server.serverPid())
    // Settled a moment, as after start.
    await new Promise((r) => setTimeout(r, 1000))
    const rss = rssMb(server.serverPid())
    const peak = peakRssMb(server.serverPid())
    await server.stop()
    startups[s]!.push(server.startMs)
    cpuStart[s]!.push(cpu)
    rssStart[s]!.push(rss)
    peakStart[s]!.push(peak)
    log(
      `start ${sides[s]!.name}: ${Math.round(server.startMs)} ms, CPU ${cpu.toFixed(2)} s to the first page, RSS ${Math.round(rss)} MB (peak ${Math.round(peak)} MB), load ${load()}`,
    )
  }
}
const startupLine = () =>
  `Start-up on the existing database (median of ${args.starts}): A ${Math.round(median(startups[0]!))} ms, B ${Math.round(median(startups[1]!))} ms; CPU to the first page A ${median(cpuStart[0]!).toFixed(2)} s, B ${median(cpuStart[1]!).toFixed(2)} s; peak RSS A ${Math.round(median(peakStart[0]!))} MB, B ${Math.round(median(peakStart[1]!))} MB.`

if (args['startup-only']) {
  log(
    `${startupLine()} RSS a second after start: A ${Math.round(median(rssStart[0]!))} MB, B ${Math.round(median(rssStart[1]!))} MB.`,
  )
  rmSync(scratch, { recursive: true, force: true })
  process.exit(0)
}

const servers: RunningServer[] = []
// Interrupted: the servers (process groups of their own) stop too.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void Promise.all(servers.map((s) => s.stop())).finally(() => {
      rmSync(scratch, { recursive: true, force: true })
      process.exit(1)
    })
  })
for (let s = 0; s < 2; s++)
  servers.push(await startServer([NODE, sides[s]!.entry], env(dirs[s]!), { cwd: sides[s]!.cwd }))
try {
  const scenarios: Scenario[] = []
  for (let s = 0; s < 2; s++) scenarios.push(await buildScenario(plan, servers[s]!.baseUrl, log))
  // A second instrument: one request at a time, A and B alternately (the order swapped each
  // time), each timed from send to the last byte. The median is the page's service time, with
  // the machine's other load shared alike between the two.
  const sequential: Record<string, number[][]> = {}
  const sequentialLoads: Record<string, string> = {}
  /** Server CPU per request over the loop, in ms (user and system, from /proc). */
  const sequentialCpu: Record<string, number[]> = {}
  const agents = [0, 1].map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }))
  const timeOne = (s: number, target: ReturnType<typeof targetFrom>) =>
    new Promise<number>((done, fail) => {
      const request = target.next()
      const url = new URL(servers[s]!.baseUrl)
      const started = performance.now()
      const req = http.request(
        {
          agent: agents[s],
          host: url.hostname,
          port: url.port,
          method: request.method,
          path: request.path,
          headers: request.headers,
        },
        (res) => {
          res.resume()
          res.on('end', () => {
            target.done?.(request, res.statusCode ?? 0)
            if (!(target.ok ?? [200]).includes(res.statusCode ?? 0))
              fail(new Error(`${request.path} answered ${res.statusCode}`))
            else done(performance.now() - started)
          })
        },
      )
      req.on('error', fail)
      req.end(request.body)
    })
  for (const page of pages) {
    const targets = [0, 1].map((s) => {
      const spec = scenarios[s]!.targets.find((t) => t.key === page)
      if (!spec) throw new Error(`No page ${page}`)
      return targetFrom(spec, servers[s]!.baseUrl)
    })
    for (const t of targets) await t.prepare?.()
    const times: number[][] = [[], []]
    const loadBefore = load()
    // Warm-up, not recorded.
    for (let i = 0; i < 20; i++) for (const s of [0, 1]) await timeOne(s, targets[s]!)
    const pids = servers.map((s) => s.serverPid())
    const cpuBefore = pids.map(cpuSeconds)
    for (let i = 0; i < Number(args.sequential); i++)
      for (const s of i % 2 ? [1, 0] : [0, 1]) times[s]!.push(await timeOne(s, targets[s]!))
    sequentialCpu[page] = pids.map(
      (pid, s) => ((cpuSeconds(pid) - cpuBefore[s]!) * 1000) / Number(args.sequential),
    )
    sequential[page] = times
    sequentialLoads[page] = `${loadBefore}-${load()}`
    log(
      `${page} sequential: A median ${f(median(times[0]!))} ms, B median ${f(median(times[1]!))} ms; CPU A ${sequentialCpu[page]![0]!.toFixed(2)}, B ${sequentialCpu[page]![1]!.toFixed(2)} ms/request; load ${loadBefore}-${load()}`,
    )
  }
  for (const a of agents) a.destroy()

  const results: Record<string, { runs: OpenLoopResult[]; cpu: number[]; loads: string[] }[]> = {}
  for (const page of pages) results[page] = [0, 1].map(() => ({ runs: [], cpu: [], loads: [] }))
  for (let round = 0; round < rounds; round++) {
    for (const page of pages) {
      for (const s of round % 2 ? [1, 0] : [0, 1]) {
        const spec = scenarios[s]!.targets.find((t) => t.key === page)
        if (!spec) throw new Error(`No page ${page}`)
        const pid = servers[s]!.serverPid()
        const before = cpuSeconds(pid)
        const loadBefore = load()
        const result = await runOpenLoop(servers[s]!.baseUrl, spec, {
          rate,
          seconds,
          warmupSeconds,
          seed: rate + round,
        })
        const cpuMs = ((cpuSeconds(pid) - before) * 1000) / (rate * (seconds + warmupSeconds))
        const entry = results[page]![s]!
        entry.runs.push(result)
        entry.cpu.push(cpuMs)
        entry.loads.push(`${loadBefore}-${load()}`)
        log(
          `${page} ${sides[s]!.name} round ${round + 1}: p50 ${f(result.p50)} p95 ${f(result.p95)} p99 ${f(result.p99)} ms, CPU ${cpuMs.toFixed(2)} ms/req, ${JSON.stringify(result.statuses)}${result.errors ? ` ${result.errors} errors` : ''}, load ${loadBefore}-${load()}`,
        )
      }
    }
  }
  const rssAfter = servers.map((s) => rssMb(s.serverPid()))

  const p90 = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length * 0.9)]!
  const lines = [
    `Sequential loop (PGlite, small profile): ${args.sequential} requests a page to each version, one at a time, A and B alternately.`,
    '',
    '| page | A median / p90 | B median / p90 | A / B server CPU a request | load (1 min) |',
    '| --- | --- | --- | --- | --- |',
    ...pages.map((page) => {
      const [a, b] = sequential[page]!
      const [ca, cb] = sequentialCpu[page]!
      return `| ${page} | ${f(median(a!))} / ${f(p90(a!))} ms | ${f(median(b!))} / ${f(p90(b!))} ms | ${ca!.toFixed(2)} / ${cb!.toFixed(2)} ms | ${sequentialLoads[page]} |`
    }),
  ]
  if (rounds > 0) {
    lines.push(
      '',
      `Open loop: Poisson ${rate}/s, ${seconds} s measured after ${warmupSeconds} s warm-up, ${rounds} rounds alternating; medians over rounds.`,
      '',
      '| page | A p50 / p95 / p99 | B p50 / p95 / p99 | A CPU ms/req | B CPU ms/req | load (1 min) |',
      '| --- | --- | --- | --- | --- | --- |',
    )
    for (const page of pages) {
      const [a, b] = results[page]!
      const pct = (e: typeof a, k: 'p50' | 'p95' | 'p99') => f(median(e!.runs.map((r) => r[k])))
      lines.push(
        `| ${page} | ${pct(a, 'p50')} / ${pct(a, 'p95')} / ${pct(a, 'p99')} ms | ${pct(b, 'p50')} / ${pct(b, 'p95')} / ${pct(b, 'p99')} ms | ${median(a!.cpu).toFixed(2)} | ${median(b!.cpu).toFixed(2)} | ${[...a!.loads, ...b!.loads].join(', ')} |`,
      )
    }
  }
  lines.push(
    '',
    `${startupLine()} RSS after start: A ${Math.round(median(rssStart[0]!))} MB, B ${Math.round(median(rssStart[1]!))} MB; after the load: A ${Math.round(rssAfter[0]!)} MB, B ${Math.round(rssAfter[1]!)} MB.`,
  )
  log('')
  log(lines.join('\n'))
} finally {
  for (const s of servers) await s.stop()
  rmSync(scratch, { recursive: true, force: true })
}
