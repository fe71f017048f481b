import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { buildApp } from '../../app.ts'
import { loadConfig } from '../../config.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { enqueueEmail } from '../../email/outbox.repository.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'

/*
 * The development mailbox holds every email the app would have sent. Each signed-in person sees
 * only their own; in the demo a Virtual School administrator sees everyone's; nobody else, and
 * never in production.
 */

let demo: TestContext
let ids: Record<'carer' | 'worker' | 'outsider', string>
beforeAll(async () => {
  demo = await createTestApp({ demo: true, seed: 'demo' })
  const send = (to: string, subject: string) =>
    enqueueEmail(demo.database.db, { to, subject, text: `For ${to}` }, demo.clock.now())
  ids = {
    carer: await send('Carer@Example.org', 'For the carer'),
    worker: await send('social.worker@example.org', 'For the social worker'),
    outsider: await send('someone@outside.example', 'For someone outside'),
  }
})
afterAll(() => demo.close())

describe('the development mailbox', () => {
  it('is closed to anyone not signed in', async () => {
    const list = await new TestAgent(demo.app).get('/dev/mailbox')
    expect(list.statusCode).toBe(302)
    expect(list.headers.location).toMatch(/^\/sign-in/)
    const one = await new TestAgent(demo.app).get(`/dev/mailbox/${ids.outsider}`)
    expect(one.statusCode).toBe(302)
  })

  it('shows a signed-in person only the email sent to their address', async () => {
    const carer = new TestAgent(demo.app)
    await carer.signIn('carer@example.org', DEMO_PASSWORD)
    const list = await carer.get('/dev/mailbox')
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain('For the carer')
    expect(list.body).not.toContain('For the social worker')
    expect(list.body).not.toContain('For someone outside')
    expect((await carer.get(`/dev/mailbox/${ids.carer}`)).statusCode).toBe(200)
    expect((await carer.get(`/dev/mailbox/${ids.worker}`)).statusCode).toBe(404)
    expect((await carer.get(`/dev/mailbox/${ids.outsider}`)).statusCode).toBe(404)
  })

  it('shows a Virtual School administrator every email, in the demo', async () => {
    const admin = new TestAgent(demo.app)
    await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
    const list = await admin.get('/dev/mailbox')
    for (const subject of ['For the carer', 'For the social worker', 'For someone outside'])
      expect(list.body).toContain(subject)
    expect((await admin.get(`/dev/mailbox/${ids.outsider}`)).statusCode).toBe(200)
  })

  it('shows an administrator only their own email outside the demo', async () => {
    const app = await buildApp({
      config: demo.config,
      db: demo.database.db,
      clock: demo.clock,
      demo: false,
    })
    try {
      const admin = new TestAgent(app)
      await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
      const list = await admin.get('/dev/mailbox')
      expect(list.statusCode).toBe(200)
      expect(list.body).not.toContain('For the carer')
      expect((await admin.get(`/dev/mailbox/${ids.outsider}`)).statusCode).toBe(404)
    } finally {
      await app.close()
    }
  })

  it('does not exist in production', async () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u@db.invalid/openpep',
      SESSION_SECRET: randomBytes(48).toString('base64'),
      SMTP_URL: 'smtp://mail.invalid',
      BASE_URL: 'https://pep.example.org',
      TRUST_PROXY: 'loopback',
      MFA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      LOG_LEVEL: 'silent',
    })
    const app = await buildApp({ config, db: demo.database.db, clock: demo.clock })
    try {
      await app.ready()
      expect(app.hasRoute({ method: 'GET', url: '/dev/mailbox' })).toBe(false)
      expect(app.hasRoute({ method: 'GET', url: '/dev/mailbox/:emailId' })).toBe(false)
      expect(app.routeRules.some((r) => r.url.startsWith('/dev/'))).toBe(false)
    } finally {
      await app.close()
    }
  })
})
