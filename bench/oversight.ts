import { paths } from '../src/paths.ts'
import { ms, type Row } from './report.ts'

/*
 * The Virtual School's oversight (issue 17, ADR 11) as one consultant uses it: the dashboard, the
 * list of the whole cohort and of its overdue children, the children list, and the export of the
 * whole cohort as CSV and as .xlsx, each asked for one after another (these are
 * pages a handful of people open, not a tray hundreds refresh), timed end to end over HTTP.
 * Budgets: the dashboard and a list at most 300 ms at the 95th percentile; exporting the cohort
 * (about 3,000 rows in the largest authority) at most 2 s. Given a reader of the server's CPU
 * (the app's process, and on PostgreSQL its database backends), each page's CPU a request over
 * the timed requests is printed beside it.
 */

/**
 * Seconds of CPU used so far: the app's, and each of its database backends' by process id (none
 * on PGlite, whose database is the app's process).
 */
export type ServerCpu = () => Promise<{ app: number; backends: Map<number, number> }>

/** The database's CPU between two readings: each backend's since the first (a new one's all). */
function databaseSeconds(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0)
  return sum
}

async function timed(baseUrl: string, path: string, cookie: string): Promise<number> {
  const started = performance.now()
  const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } })
  await response.arrayBuffer()
  const took = performance.now() - started
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`)
  return took
}

const p95 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!
}

export async function measureOversight(
  label: string,
  baseUrl: string,
  cookie: string,
  log: (line: string) => void,
  cpu?: ServerCpu,
): Promise<Row[]> {
  const pages = [
    { name: 'Virtual School dashboard', path: paths.oversight.dashboard(), n: 40, budget: 300 },
    {
      name: 'oversight list of the whole cohort',
      path: paths.oversight.children(),
      n: 40,
      budget: 300,
    },
    {
      name: 'oversight list of overdue children',
      path: `${paths.oversight.children()}?overdue=any`,
      n: 40,
      budget: 300,
    },
    {
      name: 'children list (all the authority can read)',
      path: paths.children.list(),
      n: 40,
      budget: 300,
    },
    {
      name: 'export of the whole cohort as CSV',
      path: `${paths.oversight.export()}?format=csv`,
      n: 10,
      budget: 2000,
    },
    {
      name: 'export of the whole cohort as .xlsx',
      path: `${paths.oversight.export()}?format=xlsx`,
      n: 5,
      budget: 2000,
    },
  ]
  const rows: Row[] = []
  const exported = await fetch(`${baseUrl}${paths.oversight.export()}?format=csv`, {
    headers: { cookie },
  }).then((r) => r.text())
  const cohort = Math.max(0, exported.split('\r\n').filter(Boolean).length - 5)
  log(`Oversight: ${label}, a cohort of ${cohort} children`)
  for (const page of pages) {
    for (let i = 0; i < 3; i++) await timed(baseUrl, page.path, cookie)
    const times: number[] = []
    const before = await cpu?.()
    for (let i = 0; i < page.n; i++) times.push(await timed(baseUrl, page.path, cookie))
    const after = await cpu?.()
    const measured = p95(times)
    const perRequest =
      before && after
        ? `; server CPU ${(((after.app - before.app) * 1000) / page.n).toFixed(0)} ms app + ${((databaseSeconds(before.backends, after.backends) * 1000) / page.n).toFixed(0)} ms database a request`
        : ''
    log(`  ${page.name}: p95 ${ms(measured)} of ${page.n}, one after another${perRequest}`)
    rows.push({
      figure: `${label}: ${page.name} (${cohort} children), p95, one consultant`,
      budget: `≤ ${page.budget} ms`,
      measured: `${ms(measured)}${perRequest.replace('; server', ' (server')}${perRequest ? ')' : ''}`,
      pass: measured <= page.budget,
    })
  }
  return rows
}
