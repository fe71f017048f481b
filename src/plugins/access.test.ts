import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../testing/app.ts'
import { ownerConnection } from '../testing/database.ts'
import { TestAgent } from '../testing/agent.ts'
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../db/seed.ts'
import { canAct } from '../domain/permissions.ts'
import { mayReadPart } from '../domain/visibility.ts'
import { isVirtualSchoolRole, type Role } from '../domain/roles.ts'
import type { RegisteredRoute } from './access.ts'

/*
 * Walks every registered route as every demo role, and as nobody, with and without the right to
 * the child in the URL. A route that lets the wrong person in, or that shows a hidden child's
 * name anywhere in its answer, fails this test; so does a new route nobody thought about,
 * because it is walked too.
 */

interface Child {
  id: string
  firstName: string
  lastName: string
  authorityCode: string
}

let t: TestContext
let children: Child[]
let targetUserId: string
/** A PEP of each child (the demo gives most children one), so PEP routes are walked for real. */
let pepOfChild: Map<string, string>
const agents = new Map<string, TestAgent>()

beforeAll(async () => {
  t = await createTestApp()
  await seedDemo(t.database.db, t.clock.now())
  children = (
    await t.database.db
      .selectFrom('child')
      .innerJoin('authority', 'authority.id', 'child.authority_id')
      .select(['child.id', 'child.first_name', 'child.last_name', 'authority.code'])
      .execute()
  ).map((c) => ({
    id: c.id,
    firstName: c.first_name,
    lastName: c.last_name,
    authorityCode: c.code,
  }))
  const peps = await t.database.db.selectFrom('pep').select(['id', 'child_id']).execute()
  pepOfChild = new Map(peps.map((p) => [p.child_id, p.id]))
  // A user the walk may safely deactivate, reset or change, so demo users stay usable.
  const authority = await t.database.db
    .selectFrom('authority')
    .select('id')
    .where('code', '=', 'HFD')
    .executeTakeFirstOrThrow()
  const target = await t.database.db
    .insertInto('app_user')
    .values({ email: 'walk.target@example.org', display_name: 'Walk Target', status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow()
  targetUserId = target.id
  await t.database.db
    .insertInto('membership')
    .values({
      user_id: target.id,
      authority_id: authority.id,
      role: 'social_worker',
      school_id: null,
    })
    .execute()
})
afterAll(() => t.close())

async function agentFor(email: string): Promise<TestAgent> {
  let agent = agents.get(email)
  if (!agent) {
    agent = new TestAgent(t.app)
    await agent.signIn(email, DEMO_PASSWORD)
    agents.set(email, agent)
  }
  return agent
}

/** The children a demo user can see: all of their authority's for VS staff, else their access list. */
async function visibleChildIds(email: string, role: Role): Promise<Set<string>> {
  if (isVirtualSchoolRole(role) || role === 'auditor') {
    const user = DEMO_USERS.find((u) => u.email === email)!
    return new Set(children.filter((c) => c.authorityCode === user.authority).map((c) => c.id))
  }
  const rows = await t.database.db
    .selectFrom('child_access')
    .innerJoin('app_user', 'app_user.id', 'child_access.user_id')
    .select('child_access.child_id')
    .where('app_user.email', '=', email)
    .where('child_access.removed_at', 'is', null)
    .execute()
  return new Set(rows.map((r) => r.child_id))
}

function urlFor(route: RegisteredRoute, childId: string): string {
  return route.url
    .replace(':childId', childId)
    .replace(':userId', targetUserId)
    .replace(':pepId', pepOfChild.get(childId) ?? ':pepId')
    .replace(':pageId', 'personal-information')
    .replace(':sectionId', 'A')
    .replace(':formType', 'secondary')
    .replace(':transition', 'delegate')
    .replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000')
    .replace('*', 'application.css')
}

function routesToWalk(): RegisteredRoute[] {
  // HEAD routes mirror GET ones; sign-out routes would end the walking agent's session and are
  // checked for what matters (nobody signed out can reach them) in the anonymous walk.
  return t.app.routeRules.filter((r) => r.method !== 'HEAD')
}

let requestCounter = 0

/** Sends the request with its own request id, and says whether the access layer refused it. */
async function send(agent: TestAgent, route: RegisteredRoute, url: string) {
  const requestId = `walk-${++requestCounter}`
  const headers = { 'x-request-id': requestId }
  const response =
    route.method === 'GET' ? await agent.get(url, headers) : await agent.post(url, {}, { headers })
  const denial = await t.database.db
    .selectFrom('audit_event')
    .select('id')
    .where('request_id', '=', requestId)
    .where('action', '=', 'access.denied')
    .executeTakeFirst()
  return Object.assign(response, { refused: denial !== undefined })
}

const namesIn = (body: string, child: Child) =>
  body.includes(child.lastName) || body.includes(`${child.firstName} `)

describe('need-to-know: every route, every role, with and without access', () => {
  it('has routes to walk, including child routes', () => {
    expect(routesToWalk().length).toBeGreaterThan(5)
    expect(
      routesToWalk().filter((r) => 'action' in r.access && r.access.child).length,
    ).toBeGreaterThan(0)
  })

  it('refuses anyone not signed in, except on public routes', async () => {
    for (const route of routesToWalk()) {
      if ('public' in route.access) continue
      const child = children[0]!
      const agent = new TestAgent(t.app)
      if ('api' in route.access) {
        // An API route without a client's secret: 401 (problem details), nothing of the child.
        const api = await agent.request({ method: route.method, url: urlFor(route, child.id) })
        expect(api.statusCode, `${route.method} ${route.url}`).toBe(401)
        continue
      }
      await agent.get('/sign-in')
      const response = await send(agent, route, urlFor(route, child.id))
      // 303: a PEP page sent without a session is kept and the person sent to sign in (issue 15).
      expect([302, 303, 401, 403], `${route.method} ${route.url}`).toContain(response.statusCode)
      if (response.statusCode === 302 || response.statusCode === 303)
        expect(response.headers.location).toMatch(/^\/sign-in/)
      expect(namesIn(response.body, child), `${route.method} ${route.url} leaks a name`).toBe(false)
    }
  })

  for (const user of DEMO_USERS) {
    it(`lets ${user.role} (${user.email}) in only where its role and the child's access list allow`, async () => {
      const visible = await visibleChildIds(user.email, user.role)
      const seen = children.find((c) => visible.has(c.id))
      const hidden = children.find((c) => !visible.has(c.id))!
      for (const route of routesToWalk()) {
        if ('public' in route.access || 'signedIn' in route.access) continue
        // API routes take a client's bearer secret, never a person's session: features/api's tests.
        if ('api' in route.access) continue
        if (route.url.includes('sign-out')) continue
        const agent = await agentFor(user.email)
        const name = `${user.role} ${route.method} ${route.url}`
        if (route.access.child) {
          const refused = await send(agent, route, urlFor(route, hidden.id))
          expect(refused.statusCode, `${name} for a hidden child`).toBe(404)
          expect(refused.refused, `${name} for a hidden child is recorded as refused`).toBe(true)
          expect(namesIn(refused.body, hidden), `${name} leaks a hidden child's name`).toBe(false)
          if (!seen) continue
          // A route showing a part of the record (ADR 10) also needs the role to read that part.
          const reads = route.access.reads
          const allowed =
            canAct([user.role], route.access.action) &&
            (reads === undefined || mayReadPart(user.role, reads))
          const response = await send(agent, route, urlFor(route, seen.id))
          if (allowed) {
            expect(response.refused, `${name} for a child on the list`).toBe(false)
            expect(response.statusCode, `${name} for a child on the list`).toBeLessThan(500)
          } else {
            expect(response.statusCode, `${name}: role not allowed`).toBe(404)
            expect(response.refused, `${name}: role not allowed is recorded as refused`).toBe(true)
            // The young person's child is the young person: their name is their account's, shown
            // on every page they see, so it is no leak.
            if (user.role !== 'young_person')
              expect(namesIn(response.body, seen), `${name} leaks a name`).toBe(false)
          }
        } else {
          const response = await send(agent, route, urlFor(route, hidden.id))
          // The walk's target user is in Harrowfield: another authority's administrator may not
          // learn they exist.
          const outOfScope = route.url.includes(':userId') && user.authority !== 'HFD'
          if (canAct([user.role], route.access.action) && outOfScope) {
            expect(response.statusCode, `${name} for a user of another authority`).toBe(404)
            expect(response.refused, name).toBe(true)
            expect(response.body).not.toContain('Walk Target')
          } else if (canAct([user.role], route.access.action)) {
            expect(response.refused, name).toBe(false)
            expect(response.statusCode, name).toBeLessThan(500)
          } else {
            expect(response.statusCode, name).toBe(403)
            expect(response.refused, name).toBe(true)
          }
        }
      }
    })
  }
})

describe('the audit trail', () => {
  it('records a refused child route as denied, with who and from where', async () => {
    const childRoute = routesToWalk().find(
      (r) => r.access && 'action' in r.access && r.access.child && r.method === 'GET',
    )
    if (!childRoute) throw new Error('No child route to walk')
    const agent = await agentFor('social.worker@example.org')
    const visible = await visibleChildIds('social.worker@example.org', 'social_worker')
    const hidden = children.find((c) => !visible.has(c.id))!
    t.clock.advance(60_000)
    const response = await agent.get(urlFor(childRoute, hidden.id))
    expect(response.statusCode).toBe(404)
    const event = await t.database.db
      .selectFrom('audit_event')
      .innerJoin('app_user', 'app_user.id', 'audit_event.user_id')
      .selectAll('audit_event')
      .where('app_user.email', '=', 'social.worker@example.org')
      .where('audit_event.action', '=', 'access.denied')
      .where('audit_event.occurred_at', '=', t.clock.now())
      .orderBy('audit_event.occurred_at', 'desc')
      .executeTakeFirstOrThrow()
    expect(event.outcome).toBe('denied')
    expect(event.ip).toBeTruthy()
    expect(event.details).toMatchObject({ childId: hidden.id })
  })

  it('records every view of an audited page', async () => {
    const agent = await agentFor('vs.head@example.org')
    const before = await countEvents('children.list')
    await agent.get('/children')
    expect(await countEvents('children.list')).toBe(before + 1)
  })

  it('cannot be changed or deleted', async () => {
    // On PGlite the trigger refuses; on the server the app's role has no such right to begin with.
    const refused = /append-only|permission denied for table audit_event/
    await expect(
      t.database.db.updateTable('audit_event').set({ action: 'tampered' }).execute(),
    ).rejects.toThrow(refused)
    await expect(t.database.db.deleteFrom('audit_event').execute()).rejects.toThrow(refused)
  })

  it('fails closed: a page whose audit event cannot be written is not shown', async () => {
    const agent = await agentFor('vs.consultant@example.org')
    // Take away the table's insert path for a moment by renaming it, as a broken database would
    // (as the tables' owner: on the server the app's own role may not rename a table).
    const owner = await ownerConnection(t.database)
    await owner.db.schema.alterTable('audit_event').renameTo('audit_event_away').execute()
    try {
      const response = await agent.get('/children')
      expect(response.statusCode).toBe(500)
      for (const child of children) expect(namesIn(response.body, child)).toBe(false)
    } finally {
      await owner.db.schema.alterTable('audit_event_away').renameTo('audit_event').execute()
      await owner.close()
    }
  })
})

async function countEvents(action: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
