import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import type { Database } from '../db/connection.ts'
import { DEMO_PASSWORD } from '../db/seed.ts'
import type { Role } from '../domain/roles.ts'
import { TestAgent } from './agent.ts'
import { createTestApp, type TestAppOptions, type TestContext } from './app.ts'
import { makeChild } from './factories.ts'

/*
 * The demo's Harrowfield, seeded into a test app, with what most PEP tests build on it: the
 * people by address, a child at Kingsmead (URN 990002) with the people they need on its list,
 * each person signed in once, and a PEP started through HTTP as the social worker would.
 * Today (TEST_NOW) is Monday 23 November 2026.
 */

export interface DemoWorld {
  t: TestContext
  /** Each demo person's id, by email address. */
  ids: Record<string, string>
  authorityId: string
  /** Kingsmead, the demo designated teacher's school. */
  schoolId: string
  /** The person signed in, once per world. */
  agent(email: string): Promise<TestAgent>
  newChild(child: NewChild): Promise<string>
  startPep(childId: string, form?: PepStart): Promise<string>
  close(): Promise<void>
}

export interface NewChild {
  firstName: string
  lastName: string
  caseReference: string
  /** Who is on its list, by email address, and in what capacity. */
  access: readonly (readonly [email: string, capacity: Role])[]
  dateOfBirth?: string
  enteredCareOn?: string
}

export interface PepStart {
  /** "2026-11-20": the meeting, at 10:00. */
  meetingOn?: string
  term?: string
  extra?: Record<string, string | string[]>
}

/** The demo's Harrowfield (code HFD) and its school Kingsmead (URN 990002), by id. */
export async function demoHarrowfield(db: Database) {
  const authority = await db
    .selectFrom('authority')
    .select('id')
    .where('code', '=', 'HFD')
    .executeTakeFirstOrThrow()
  const school = await db
    .selectFrom('school')
    .select('id')
    .where('urn', '=', '990002')
    .executeTakeFirstOrThrow()
  return { authorityId: authority.id, schoolId: school.id }
}

/** Each person signed in once on this app, with the demo password: the same agent every time after. */
export function signedInOnce(app: FastifyInstance): (email: string) => Promise<TestAgent> {
  const agents = new Map<string, TestAgent>()
  return async (email) => {
    let signedIn = agents.get(email)
    if (!signedIn) {
      signedIn = new TestAgent(app)
      await signedIn.signIn(email, DEMO_PASSWORD)
      agents.set(email, signedIn)
    }
    return signedIn
  }
}

export async function demoWorld(options: TestAppOptions = {}): Promise<DemoWorld> {
  const t = await createTestApp({ seed: 'demo', ...options })
  const db = t.database.db
  const ids: Record<string, string> = {}
  for (const u of await db.selectFrom('app_user').select(['id', 'email']).execute())
    ids[u.email] = u.id
  const { authorityId, schoolId } = await demoHarrowfield(db)
  const agent = signedInOnce(t.app)

  async function newChild(child: NewChild): Promise<string> {
    return makeChild(db, {
      authorityId,
      firstName: child.firstName,
      lastName: child.lastName,
      dateOfBirth: child.dateOfBirth ?? '2012-10-15',
      caseReference: child.caseReference,
      enteredCareOn: child.enteredCareOn ?? '2020-01-01',
      schoolId,
      recordOwnerId: ids['social.worker@example.org']!,
      access: child.access.map(([email, capacity]) => ({ userId: ids[email]!, capacity })),
    })
  }

  async function startPep(childId: string, form: PepStart = {}): Promise<string> {
    const body: Record<string, string | string[]> = { term: form.term ?? '2026-autumn' }
    if (form.meetingOn) {
      const [year, month, day] = form.meetingOn.split('-')
      Object.assign(body, {
        'meetingOn-day': String(Number(day)),
        'meetingOn-month': String(Number(month)),
        'meetingOn-year': year,
        meetingTime: '10:00',
      })
    }
    Object.assign(body, form.extra)
    const sw = await agent('social.worker@example.org')
    const url = `/children/${childId}/peps/start`
    await sw.get(url)
    const started = await sw.post(url, body)
    expect(started.statusCode).toBe(303)
    return started.headers.location!.split('/').at(-1)!
  }

  return { t, ids, authorityId, schoolId, agent, newChild, startPep, close: () => t.close() }
}
