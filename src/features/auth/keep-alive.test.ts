import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'

/*
 * The timeout warning's server side (issue 15, WCAG 2.2.1): signed-in pages carry the warning
 * with the session's idle time, and "Stay signed in" keeps the session alive without leaving
 * the page. The browser side is in e2e/timeout-warning.test.ts.
 */

let t: TestContext
beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
})
afterAll(() => t.close())

const MINUTE = 60_000

describe('staying signed in', () => {
  it('puts the warning on signed-in pages only, with the idle timeout', async () => {
    const anonymous = new TestAgent(t.app)
    expect((await anonymous.get('/sign-in')).body).not.toContain('app-timeout-warning')
    const agent = new TestAgent(t.app)
    await agent.signIn('social.worker@example.org', DEMO_PASSWORD)
    const home = await agent.get('/')
    expect(home.body).toContain('data-module="app-timeout-warning"')
    expect(home.body).toContain('data-idle-seconds="1800"')
    expect(home.body).toContain('data-keep-alive-url="/session/keep-alive"')
  })

  it('keeps the session alive past 30 minutes while the person asks to stay', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('social.worker@example.org', DEMO_PASSWORD)
    for (let i = 0; i < 3; i++) {
      t.clock.advance(28 * MINUTE)
      const kept = await agent.get('/session/keep-alive')
      expect(kept.statusCode).toBe(200)
      expect(kept.json()).toEqual({ signedIn: true })
      expect(kept.headers['cache-control']).toBe('no-store')
    }
    expect((await agent.get('/')).statusCode).toBe(200)
    // Without it, the session ends after 30 idle minutes, and the endpoint says so.
    t.clock.advance(32 * MINUTE)
    const gone = await agent.get('/session/keep-alive')
    expect(gone.statusCode).toBe(302)
    expect(gone.headers.location).toMatch(/^\/sign-in\?returnTo=/)
  })
})
