import { sql } from 'kysely'
import type { Database } from '../src/db/connection.ts'
import { termOf } from '../src/domain/terms.ts'
import { ROLES } from '../src/domain/roles.ts'
import { paths } from '../src/paths.ts'
import { BenchClient, formFields } from './client.ts'
import type { SaveSlot, TargetSpec } from './targets.ts'
import { BENCH_PASSWORD } from './profiles.ts'

/*
 * Who the load test signs in as and what they ask for: real generated users of every role,
 * through the real sign-in form; then the pages the budgets name, each rotating over that user's
 * own children and PEPs.
 */

export interface Scenario {
  roles: { role: string; email: string; home: number }[]
  /** Every page the bench drives, in the order it reports them; `bare` is the reference. */
  targets: TargetSpec[]
  saveSlots: number
}

interface Session {
  client: BenchClient
  cookie: string
}

type Request = { path: string; cookie: string }

const get = (s: Session, path: string): Request => ({ path, cookie: s.cookie })

/** The roles whose home is not My work: where '/' sends each of them (issue 20). */
const OWN_HOME: Partial<Record<string, (location: string) => boolean>> = {
  carer: (location) => location === paths.carer.home(),
  young_person: (location) => /^\/my-pep\/[^/]+$/.test(location),
}

/** What the scenario needs from the database, read before the server starts (PGlite has one owner). */
export interface ScenarioPlan {
  roles: { role: string; email: string }[]
  workers: {
    email: string
    peps: { childId: string; pepId: string; status: string; pageId: string }[]
  }[]
  consultant: string
}

export async function planScenario(db: Database, today: string): Promise<ScenarioPlan> {
  const term = termOf(today)
  // The bench signs in about 16 people from one address: start each run with a clean count.
  await db.deleteFrom('rate_limit_counter').execute()
  // One user of every role (the first of the first authority).
  const roles: ScenarioPlan['roles'] = []
  for (const role of ROLES) {
    const user = await db
      .selectFrom('membership as m')
      .innerJoin('app_user as u', 'u.id', 'm.user_id')
      .innerJoin('authority as a', 'a.id', 'm.authority_id')
      .select('u.email')
      .where('m.role', '=', role)
      .where('a.code', '=', 'B001')
      .orderBy('u.email')
      .limit(1)
      .executeTakeFirst()
    if (user) roles.push({ role, email: user.email })
  }
  // The three social workers of the first authority with the most PEPs in progress this term.
  const found = await db
    .selectFrom('child_access as ca')
    .innerJoin('pep as p', 'p.child_id', 'ca.child_id')
    .innerJoin('app_user as u', 'u.id', 'ca.user_id')
    .innerJoin('child as c', 'c.id', 'ca.child_id')
    .innerJoin('authority as a', 'a.id', 'c.authority_id')
    .select(['u.id', 'u.email', sql<number>`count(*)::int`.as('n')])
    .where('a.code', '=', 'B001')
    .where('ca.capacity', '=', 'social_worker')
    .where('ca.removed_at', 'is', null)
    .where('p.academic_year', '=', term.academicYear)
    .where('p.term', '=', term.name)
    .where('p.status', '=', 'in_progress')
    .groupBy(['u.id', 'u.email'])
    .orderBy('n', 'desc')
    .orderBy('u.email')
    .limit(3)
    .execute()
  const workers: ScenarioPlan['workers'] = []
  for (const w of found) {
    const peps = await db
      .selectFrom('child_access as ca')
      .innerJoin('pep as p', 'p.child_id', 'ca.child_id')
      .innerJoin('pep_page as pp', 'pp.pep_id', 'p.id')
      .select(['p.child_id as childId', 'p.id as pepId', 'p.status', 'pp.page_id as pageId'])
      .where('ca.user_id', '=', w.id)
      .where('ca.removed_at', 'is', null)
      .where('p.academic_year', '=', term.academicYear)
      .where('p.term', '=', term.name)
      .orderBy('p.id')
      .orderBy('pp.page_id')
      .execute()
    workers.push({ email: w.email, peps })
  }
  const consultant = roles.find((r) => r.role === 'vs_consultant')
  if (!consultant) throw new Error('The bench data has no Virtual School consultant')
  return { roles, workers, consultant: consultant.email }
}

export async function buildScenario(
  plan: ScenarioPlan,
  baseUrl: string,
  log: (line: string) => void,
): Promise<Scenario> {
  const roles: Scenario['roles'] = []
  for (const { role, email } of plan.roles) {
    const client = new BenchClient(baseUrl)
    await client.signIn(email, BENCH_PASSWORD)
    let home = await client.request('GET', paths.home())
    // A carer's and a young person's home is a page of their own (issue 20): '/' answers them
    // with a 303 to it, as a browser would follow. Follow it only to that role's own home, so a
    // 303 anywhere else (the sign-in page, another role's home) still counts as a failure.
    const ownHome = OWN_HOME[role]
    if (home.status === 303 && home.location && ownHome?.(home.location))
      home = await client.request('GET', home.location)
    roles.push({ role, email, home: home.status })
  }
  log(`  signed in as ${roles.length} roles: ${roles.map((r) => `${r.role} ${r.home}`).join(', ')}`)

  const sessions: Session[] = []
  const childGets: Request[] = []
  const pageGets: Request[] = []
  const contentsGets: Request[] = []
  const slots: SaveSlot[] = []
  for (const w of plan.workers) {
    const client = new BenchClient(baseUrl)
    await client.signIn(w.email, BENCH_PASSWORD)
    const s = { client, cookie: client.cookieHeader() }
    sessions.push(s)
    for (const pep of new Map(w.peps.map((p) => [p.pepId, p])).values())
      contentsGets.push(get(s, paths.peps.contents(pep.childId, pep.pepId)))
    for (const childId of new Set(w.peps.map((p) => p.childId)))
      childGets.push(get(s, paths.children.show(childId)))
    for (const p of w.peps) {
      const path = paths.peps.page(p.childId, p.pepId, p.pageId)
      // Only pages the app shows this child: the generated data answers every page of every form,
      // and a page whose condition does not hold (the child's year group, an earlier answer)
      // answers 404, which a sweep counts as a failure.
      const page = await s.client.request('GET', path)
      if (page.status !== 200) continue
      pageGets.push(get(s, path))
      if (p.status !== 'in_progress') continue
      // A page this social worker can save: its form, with one text answer to change each time.
      if (!page.body.includes('name="version"')) continue
      const fields = formFields(page.body)
      // Free text (a sentence), not a choice, a number or a date.
      const text = fields.findIndex(
        ([name, value]) => !name.startsWith('_') && name !== 'version' && /\s/.test(value.trim()),
      )
      if (text < 0) continue
      fields[text] = [fields[text]![0], 'Bench save']
      const version = Number(fields.find(([n]) => n === 'version')?.[1] ?? 0)
      slots.push({ path, cookie: s.cookie, csrf: s.client.csrfToken ?? '', fields, version })
    }
  }
  log(
    `  ${sessions.length} social workers: ${childGets.length} children, ${pageGets.length} PEP pages, ${slots.length} pages to save`,
  )
  if (childGets.length === 0 || pageGets.length === 0 || slots.length === 0)
    throw new Error('The bench data has no PEPs in progress for its social workers')

  const vs = new BenchClient(baseUrl)
  await vs.signIn(plan.consultant, BENCH_PASSWORD)
  const vsSession = { client: vs, cookie: vs.cookieHeader() }

  const each = (path: string) => sessions.map((s) => get(s, path))
  // One line a page: what the bench drives, sweeps and reports.
  const targets: TargetSpec[] = [
    {
      kind: 'get',
      key: 'bare',
      name: 'bare page (change password form)',
      requests: each(paths.account.changePassword()),
    },
    { kind: 'get', key: 'tray', name: 'work tray', requests: each(paths.trays.mine()) },
    { kind: 'get', key: 'child', name: "child's record", requests: childGets },
    { kind: 'get', key: 'pepContents', name: "a PEP's contents", requests: contentsGets },
    { kind: 'get', key: 'pepPage', name: 'a PEP page', requests: pageGets },
    { kind: 'save', key: 'save', name: 'saving a PEP page', slots },
    {
      kind: 'get',
      key: 'childrenList',
      name: 'children list (VS consultant)',
      requests: [get(vsSession, paths.children.list())],
    },
  ]
  return { roles, saveSlots: slots.length, targets }
}
