import { describe, expect, it } from 'vitest'
import { DEMO_USERS } from '../db/seed.ts'
import { ownerConnection } from '../testing/database.ts'
import { TestAgent } from '../testing/agent.ts'
import { accessWalk, demoUsersOfPart, namesIn, ROLE_WALK_PARTS } from '../testing/access-walk.ts'

/*
 * Walks every registered route as nobody (here) and as every demo role (access-roles-N.test.ts),
 * with and without the right to the child in the URL (src/testing/access-walk.ts). A route that
 * lets the wrong person in, or that shows a hidden child's name anywhere in its answer, fails;
 * so does a new route nobody thought about, because it is walked too.
 */

const walk = accessWalk()
const { agentFor, visibleChildIds, urlFor, routesToWalk, send } = walk

describe('need-to-know: every route, every role, with and without access', () => {
  it('has routes to walk, including child routes', () => {
    expect(routesToWalk().length).toBeGreaterThan(5)
    expect(
      routesToWalk().filter((r) => 'action' in r.access && r.access.child).length,
    ).toBeGreaterThan(0)
  })

  it('walks every demo person in exactly one of the role files', () => {
    const parts = Array.from({ length: ROLE_WALK_PARTS }, (_, part) => demoUsersOfPart(part))
    expect(
      parts
        .flat()
        .map((u) => u.email)
        .sort(),
    ).toEqual(DEMO_USERS.map((u) => u.email).sort())
    for (const part of parts) expect(part.length).toBeGreaterThan(0)
  })

  it('refuses anyone not signed in, except on public routes', async () => {
    const { t, children } = walk
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
})

describe('the audit trail', () => {
  it('records a refused child route as denied, with who and from where', async () => {
    const { t, children } = walk
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
    const { t } = walk
    // On PGlite the trigger refuses; on the server the app's role has no such right to begin with.
    const refused = /append-only|permission denied for table audit_event/
    await expect(
      t.database.db.updateTable('audit_event').set({ action: 'tampered' }).execute(),
    ).rejects.toThrow(refused)
    await expect(t.database.db.deleteFrom('audit_event').execute()).rejects.toThrow(refused)
  })

  it('fails closed: a page whose audit event cannot be written is not shown', async () => {
    const { t, children } = walk
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
  const row = await walk.t.database.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
