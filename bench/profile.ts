import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openDatabase } from '../src/db/connection.ts'
import { runLoad } from './load.ts'
import { buildScenario, planScenario } from './scenario.ts'
import { startServer } from './server.ts'
import { targetFrom } from './targets.ts'

/*
 * Where a page's time goes: the server runs under `node --cpu-prof` while one page is asked for
 * (closed-loop, a few connections), then the profile's self time is summed by function and by
 * package.
 *
 *   node bench/profile.ts --page pepContents [--seconds 20] [--connections 4] [--database-url postgres://...]
 *
 * Without --database-url it uses the small profile on PGlite in data/bench/small (make it with
 * `npm run bench -- --quick` first). The profile is kept in data/bench/profiles/.
 */

const { values: args } = parseArgs({
  options: {
    page: { type: 'string', default: 'pepContents' },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '4' },
    'database-url': { type: 'string' },
    top: { type: 'string', default: '25' },
  },
})
const today = new Date().toISOString().slice(0, 10)
const url = args['database-url']
const pgliteDir = join('data', 'bench', 'small')
const target = url ? { url } : { pgliteDir }
const handle = await openDatabase(target)
const plan = await planScenario(handle.db, today).finally(() => handle.close())

const dir = resolve('data', 'bench', 'profiles', args.page)
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })
const server = await startServer(
  [process.execPath, '--cpu-prof', `--cpu-prof-dir=${dir}`, 'src/server.ts'],
  {
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'never',
    OUTBOX_POLL_MS: '60000',
    ...(url ? { DATABASE_URL: url } : { PGLITE_DIR: pgliteDir }),
  },
)
let requests = 0
let loadFrom = 0
try {
  const scenario = await buildScenario(plan, server.baseUrl, console.log)
  const spec = scenario.targets.find((t) => t.key === args.page)
  if (!spec) throw new Error(`No page ${args.page}: ${scenario.targets.map((t) => t.key)}`)
  // The profile's clock is the monotonic clock hrtime reads: samples before this are start-up.
  loadFrom = Number(process.hrtime.bigint() / 1000n)
  const result = await runLoad(server.baseUrl, targetFrom(spec, server.baseUrl), {
    connections: Number(args.connections),
    durationSeconds: Number(args.seconds),
  })
  requests = result.requests
  console.log(
    `${spec.name}: ${requests} requests, ${Math.round(result.rps)}/s, p50 ${result.p50} ms`,
  )
} finally {
  await server.stop()
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
if (!file) throw new Error(`No profile written in ${dir}`)
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
}
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const byFunction = new Map<string, number>()
const byPackage = new Map<string, number>()
let total = 0
let at = profile.startTime
profile.samples.forEach((id, i) => {
  const micros = profile.timeDeltas[i] ?? 0
  at += micros
  if (at < loadFrom) return
  const node = byId.get(id)!
  const { functionName, url: source, lineNumber } = node.callFrame
  if (functionName === '(idle)') return
  total += micros
  const where = source.startsWith('wasm://')
    ? '@electric-sql/pglite (WebAssembly)'
    : source.includes('node_modules/')
      ? source.split('node_modules/').pop()!.split('/').slice(0, 2).join('/')
      : source.includes('/src/')
        ? `src/${source.split('/src/').pop()!.split('/')[0]}`
        : source.startsWith('node:')
          ? 'node'
          : functionName.startsWith('(')
            ? functionName
            : 'other'
  const pkg = where.startsWith('@') ? where : where.split('/')[0]!
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros)
  const key = `${functionName || '(anonymous)'} ${source.split('/').slice(-2).join('/')}:${lineNumber}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros)
})
const show = (map: Map<string, number>, n: number) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([k, v]) =>
        `${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1000 / Math.max(1, requests)).toFixed(2).padStart(6)} ms/request  ${k}`,
    )
    .join('\n')
console.log(
  `\nServer CPU under load: ${(total / 1e6).toFixed(1)} s, ${(total / 1000 / Math.max(1, requests)).toFixed(2)} ms a request`,
)
console.log(`\nBy package:\n${show(byPackage, 15)}`)
console.log(`\nBy function (self time):\n${show(byFunction, Number(args.top))}`)
console.log(`\nProfile: ${join(dir, file)}`)
