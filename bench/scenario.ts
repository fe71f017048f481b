import { sql } from 'kysely'
import type { Database } from '../src/db/connection.ts'
import { termOf } from '../src/domain/terms.ts'
import { ROLES } from '../src/domain/roles.ts'
import { paths } from '../src/paths.ts'
import { BenchClient, formFields } from './client.ts'
import type { LoadRequest, LoadTarget } from './load.ts'
import { BENCH_PASSWORD } from './profiles.ts'

/*
 * Who the load test signs in as and what they ask for: real generated users of every role,
 * through the real sign-in form; then the pages the budgets name, each rotating over that user's
 * own children and PEPs.
 */

export interface Scenario {
  roles: { role: string; email: string; home: number }[]
  targets: Record<'tray' | 'child' | 'pepPage' | 'save' | 'childrenList' | 'bare', LoadTarget>
  saveSlots: number
}

interface Session {
  client: BenchClient
  cookie: string
}

const rotate = <T>(items: T[]) => {
  let i = 0
  return () => items[i++ % items.length]!
}

const get = (s: Session, path: string): LoadRequest => ({
  method: 'GET',
  path,
  headers: { cookie: s.client.cookieHeader() },
})

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

/** A page's form version, as its page shows it. */
async function versionOnPage(client: BenchClient, path: string): Promise<number | undefined> {
  const page = await client.request('GET', path)
  if (page.status !== 200 || !page.body.includes('name="version"')) return undefined
  return Number(formFields(page.body).find(([n]) => n === 'version')?.[1] ?? 0)
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
    const home = await client.request('GET', paths.home())
    roles.push({ role, email, home: home.status })
  }
  log(`  signed in as ${roles.length} roles: ${roles.map((r) => `${r.role} ${r.home}`).join(', ')}`)

  const sessions: Session[] = []
  const childGets: [Session, string][] = []
  const pageGets: [Session, string][] = []
  const slots: {
    session: Session
    path: string
    fields: [string, string][]
    version: number
    busy: boolean
  }[] = []
  for (const w of plan.workers) {
    const client = new BenchClient(baseUrl)
    await client.signIn(w.email, BENCH_PASSWORD)
    const s = { client, cookie: client.cookieHeader() }
    sessions.push(s)
    for (const childId of new Set(w.peps.map((p) => p.childId)))
      childGets.push([s, paths.children.show(childId)])
    for (const p of w.peps) {
      const path = paths.peps.page(p.childId, p.pepId, p.pageId)
      pageGets.push([s, path])
      if (p.status !== 'in_progress') continue
      // A page this social worker can save: its form, with one text answer to change each time.
      const page = await s.client.request('GET', path)
      if (page.status !== 200 || !page.body.includes('name="version"')) continue
      const fields = formFields(page.body)
      // Free text (a sentence), not a choice, a number or a date.
      const text = fields.findIndex(
        ([name, value]) => !name.startsWith('_') && name !== 'version' && /\s/.test(value.trim()),
      )
      if (text < 0) continue
      fields[text] = [fields[text]![0], 'Bench save']
      const version = Number(fields.find(([n]) => n === 'version')?.[1] ?? 0)
      slots.push({ session: s, path, fields, version, busy: false })
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

  let counter = 0
  const bySent = new Map<LoadRequest, (typeof slots)[number]>()
  const save: LoadTarget = {
    name: 'saving a PEP page',
    ok: [303],
    async prepare() {
      for (const slot of slots) {
        slot.version = (await versionOnPage(slot.session.client, slot.path)) ?? slot.version
        slot.busy = false
      }
      bySent.clear()
    },
    next() {
      const slot = slots.find((s) => !s.busy) ?? slots[counter % slots.length]!
      slot.busy = true
      counter++
      const form = new URLSearchParams()
      for (const [name, value] of slot.fields) {
        if (name === '_csrf') form.append(name, slot.session.client.csrfToken ?? '')
        else if (name === 'version') form.append(name, String(slot.version))
        else form.append(name, value === 'Bench save' ? `Bench save ${counter}` : value)
      }
      form.append('action', 'later')
      const request: LoadRequest = {
        method: 'POST',
        path: slot.path,
        headers: {
          cookie: slot.session.client.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: form.toString(),
      }
      bySent.set(request, slot)
      return request
    },
    done(request, status) {
      const slot = bySent.get(request)
      if (!slot) return
      bySent.delete(request)
      if (status === 303) slot.version++
      slot.busy = false
    },
  }
  const nextSession = rotate(sessions)
  const nextChild = rotate(childGets)
  const nextPage = rotate(pageGets)
  return {
    roles,
    saveSlots: slots.length,
    targets: {
      tray: { name: 'work tray', next: () => get(nextSession(), paths.trays.mine()) },
      child: { name: "child's record", next: () => get(...nextChild()) },
      pepPage: { name: 'a PEP page', next: () => get(...nextPage()) },
      save,
      childrenList: {
        name: 'children list (VS consultant)',
        next: () => get(vsSession, paths.children.list()),
      },
      bare: {
        name: 'bare page (change password form)',
        next: () => get(nextSession(), paths.account.changePassword()),
      },
    },
  }
}
