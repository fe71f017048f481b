import { afterAll, beforeAll, expect } from 'vitest'
import { DEMO_PASSWORD, DEMO_USERS } from '../db/seed.ts'
import { canAct } from '../domain/permissions.ts'
import { isVirtualSchoolRole, type Role } from '../domain/roles.ts'
import { mayReadPart } from '../domain/visibility.ts'
import type { RegisteredRoute } from '../plugins/access.ts'
import { TestAgent } from './agent.ts'
import { createTestApp, type TestContext } from './app.ts'
import { makeUser } from './factories.ts'

type DemoUser = (typeof DEMO_USERS)[number]

/*
 * The need-to-know walk (src/plugins/access*.test.ts): every registered route as every demo
 * person, and as nobody, with and without the right to the child in the URL. A route that lets the
 * wrong person in, or that shows a hidden child's name anywhere in its answer, fails it; so does a
 * new route nobody thought about, because it is walked too.
 *
 * The demo's people are walked in ROLE_WALK_PARTS files (access-roles-N.test.ts), each with its
 * own app and database, so the two workers share the walk instead of one file taking minutes.
 */

export interface WalkChild {
  id: string
  firstName: string
  lastName: string
  authorityCode: string
}

/** The demo's people walked by each access-roles-N.test.ts file. */
export const ROLE_WALK_PARTS = 3

export function demoUsersOfPart(part: number): readonly DemoUser[] {
  return DEMO_USERS.filter((_, i) => i % ROLE_WALK_PARTS === part)
}

export interface AccessWalk {
  readonly t: TestContext
  readonly children: readonly WalkChild[]
  agentFor(email: string): Promise<TestAgent>
  visibleChildIds(email: string, role: Role): Promise<Set<string>>
  urlFor(route: RegisteredRoute, childId: string): string
  routesToWalk(): RegisteredRoute[]
  send(
    agent: TestAgent,
    route: RegisteredRoute,
    url: string,
  ): Promise<Awaited<ReturnType<TestAgent['get']>> & { refused: boolean }>
}

/** The demo, with a PEP of most children and a user the walk may change, for a file's tests. */
export function accessWalk(): AccessWalk {
  let t: TestContext
  let children: WalkChild[] = []
  let targetUserId: string
  /** A PEP of each child (the demo gives most children one), so PEP routes are walked for real. */
  let pepOfChild: Map<string, string>
  const agents = new Map<string, TestAgent>()
  let requestCounter = 0

  beforeAll(async () => {
    t = await createTestApp({ seed: 'demo' })
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
    const target = await makeUser(t.database.db, {
      email: 'walk.target@example.org',
      displayName: 'Walk Target',
      role: 'social_worker',
      authorityId: authority.id,
    })
    targetUserId = target.id
  })
  afterAll(() => t?.close())

  return {
    get t() {
      return t
    },
    get children() {
      return children
    },

    async agentFor(email) {
      let agent = agents.get(email)
      if (!agent) {
        agent = new TestAgent(t.app)
        await agent.signIn(email, DEMO_PASSWORD)
        agents.set(email, agent)
      }
      return agent
    },

    /** The children a demo user can see: all of their authority's for VS staff, else their list. */
    async visibleChildIds(email, role) {
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
    },

    urlFor(route, childId) {
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
    },

    routesToWalk() {
      // HEAD routes mirror GET ones; sign-out routes would end the walking agent's session and
      // are checked for what matters (nobody signed out can reach them) in the anonymous walk.
      return t.app.routeRules.filter((r) => r.method !== 'HEAD')
    },

    /** Sends the request with its own request id, and says whether the access layer refused it. */
    async send(agent, route, url) {
      const requestId = `walk-${++requestCounter}`
      const headers = { 'x-request-id': requestId }
      const response =
        route.method === 'GET'
          ? await agent.get(url, headers)
          : await agent.post(url, {}, { headers })
      const denial = await t.database.db
        .selectFrom('audit_event')
        .select('id')
        .where('request_id', '=', requestId)
        .where('action', '=', 'access.denied')
        .executeTakeFirst()
      return Object.assign(response, { refused: denial !== undefined })
    },
  }
}

export const namesIn = (body: string, child: WalkChild) =>
  body.includes(child.lastName) || body.includes(`${child.firstName} `)

/**
 * Walks every route as one demo person: refused (404, audited, no name) for a child not on their
 * list; for a child on it, let in where their role may act and read that part, refused otherwise.
 */
export async function walkAs(walk: AccessWalk, user: DemoUser): Promise<void> {
  const { children, send, urlFor } = walk
  const visible = await walk.visibleChildIds(user.email, user.role)
  const seen = children.find((c) => visible.has(c.id))
  const hidden = children.find((c) => !visible.has(c.id))!
  for (const route of walk.routesToWalk()) {
    if ('public' in route.access || 'signedIn' in route.access) continue
    // API routes take a client's bearer secret, never a person's session: features/api's tests.
    if ('api' in route.access) continue
    if (route.url.includes('sign-out')) continue
    const agent = await walk.agentFor(user.email)
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
}
