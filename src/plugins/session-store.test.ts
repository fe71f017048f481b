import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../testing/app.ts'
import { TestAgent } from '../testing/agent.ts'
import { DEMO_PASSWORD } from '../db/seed.ts'

/*
 * Sessions are written when they change, and otherwise at most once a minute to keep them
 * alive, so a page view is not a database write; the idle timeout still never ends a session
 * sooner than 30 minutes after its last request.
 */

const SECOND = 1000
const MINUTE = 60 * SECOND

let t: TestContext
beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
})
afterAll(() => t.close())

async function sessionWrites(): Promise<Date[]> {
  const rows = await t.database.db
    .selectFrom('web_session')
    .innerJoin('app_user', 'app_user.id', 'web_session.user_id')
    .select('web_session.updated_at')
    .where('app_user.email', '=', 'iro@example.org')
    .execute()
  return rows.map((r) => r.updated_at)
}

describe('the session store', () => {
  it('writes an unchanged session at most once a minute, and keeps it 30 minutes after the last request', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('iro@example.org', DEMO_PASSWORD)
    // The first page may change the session (a new form token): that is written at once.
    expect((await agent.get('/')).statusCode).toBe(200)
    const [signedIn] = await sessionWrites()
    t.clock.advance(10 * SECOND)
    expect((await agent.get('/')).statusCode).toBe(200)
    expect(await sessionWrites()).toEqual([signedIn])
    // A minute after the last write, a request writes it again.
    t.clock.advance(50 * SECOND)
    expect((await agent.get('/')).statusCode).toBe(200)
    const [touched] = await sessionWrites()
    expect(touched!.getTime()).toBe(signedIn!.getTime() + MINUTE)
    // Another request 59 seconds later does not write; 30 minutes after it, still signed in.
    t.clock.advance(59 * SECOND)
    expect((await agent.get('/')).statusCode).toBe(200)
    expect(await sessionWrites()).toEqual([touched])
    t.clock.advance(30 * MINUTE)
    expect((await agent.get('/')).statusCode).toBe(200)
    // Idle for 31 minutes: signed out.
    t.clock.advance(31 * MINUTE)
    const idle = await agent.get('/')
    expect(idle.statusCode).toBe(302)
    expect(idle.headers.location).toContain('/sign-in')
  })
})
