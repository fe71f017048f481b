import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from './app.ts'
import { loadConfig } from './config.ts'
import { fixedClock } from './domain/clock.ts'
import { createTestApp, type TestContext } from './testing/app.ts'
import { createTestDatabase } from './testing/database.ts'
import { TestAgent } from './testing/agent.ts'
import { MissingAccessRuleError } from './plugins/access.ts'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

describe('the app shell', () => {
  it('reports a healthy database', async () => {
    const response = await t.app.inject({ url: '/health' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ status: 'ok', database: 'up' })
  })

  it('sends security headers and a nonce-based CSP, with the nonce on its only script', async () => {
    const response = await t.app.inject({ url: '/sign-in' })
    const csp = String(response.headers['content-security-policy'])
    const nonce = /script-src 'self' 'nonce-([a-f0-9]+)'/.exec(csp)?.[1]
    expect(nonce).toBeDefined()
    expect(csp).toContain("frame-ancestors 'none'")
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['cache-control']).toBe('no-store')
    const scripts = response.body.match(/<script[^>]*>/g) ?? []
    expect(scripts).toHaveLength(1)
    expect(scripts[0]).toContain(`nonce="${nonce}"`)
    expect(response.body).not.toMatch(/\son[a-z]+="/)
  })

  it('gives every response a request id, keeping a well-formed one it was given', async () => {
    const given = await t.app.inject({ url: '/health', headers: { 'x-request-id': 'abc-123' } })
    expect(given.headers['x-request-id']).toBe('abc-123')
    const hostile = await t.app.inject({ url: '/health', headers: { 'x-request-id': 'a b\r\nc' } })
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('answers an unknown address with the design-system 404 page', async () => {
    const response = await t.app.inject({ url: '/no-such-page' })
    expect(response.statusCode).toBe(404)
    expect(response.body).toContain('Page not found')
    expect(response.body).toContain('govuk-template__body')
  })

  it('is branded for a council, not GOV.UK: no crown, no GOV.UK logotype', async () => {
    const response = await t.app.inject({ url: '/sign-in' })
    expect(response.body).toContain('govuk-generic-header')
    expect(response.body).not.toMatch(/govuk-logo|crown|GOV\.UK/i)
  })

  it('serves the compiled stylesheet without the GDS Transport font', async () => {
    const response = await t.app.inject({ url: '/assets/application.css' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toContain('text/css')
    expect(response.body).not.toContain('GDS Transport')
  })
})

describe('errors', () => {
  it('shows the design-system 500 page with a reference, never the error itself', async () => {
    const database = await createTestDatabase()
    try {
      const app = await buildApp({
        config: loadConfig({ NODE_ENV: 'test' }),
        db: database.db,
        clock: fixedClock('2026-11-23'),
      })
      app.get('/broken', { config: { access: { public: true }, audit: 'none' } }, async () => {
        throw new Error('secret internal detail')
      })
      const response = await app.inject({ url: '/broken', headers: { 'x-request-id': 'ref-42' } })
      expect(response.statusCode).toBe(500)
      expect(response.body).toContain('Sorry, there is a problem with the service')
      expect(response.body).toContain('ref-42')
      expect(response.body).not.toContain('secret internal detail')
      await app.close()
    } finally {
      await database.close()
    }
  })
})

describe('deny by default', () => {
  it('refuses to start with a route that has no access rule', async () => {
    const database = await createTestDatabase()
    try {
      const app = await buildApp({
        config: loadConfig({ NODE_ENV: 'test' }),
        db: database.db,
        clock: fixedClock('2026-11-23'),
      })
      expect(() => app.get('/forgotten', async () => 'oops')).toThrow(MissingAccessRuleError)
      // Nor a change by a signed-in user that records nothing in the audit trail.
      expect(() =>
        app.post(
          '/unaudited',
          { config: { access: { signedIn: true }, audit: 'none' } },
          async () => 'oops',
        ),
      ).toThrow(MissingAccessRuleError)
      // Nor a child route without an audit event.
      expect(() =>
        app.get(
          '/children/:childId/x',
          { config: { access: { action: 'child.view', child: true }, audit: 'none' } },
          async () => 'oops',
        ),
      ).toThrow(MissingAccessRuleError)
      await app.close()
    } finally {
      await database.close()
    }
  })
})

describe('database outage', () => {
  it('answers 503 on /health when the database is unreachable', async () => {
    const context = await createTestApp()
    await context.database.close()
    const response = await context.app.inject({ url: '/health' })
    expect(response.statusCode).toBe(503)
    expect(response.json()).toEqual({ status: 'error', database: 'down' })
    await context.app.close()
  })
})

describe('signed-in pages', () => {
  it('keeps anonymous users out of My work', async () => {
    const response = await new TestAgent(t.app).get('/')
    expect(response.statusCode).toBe(302)
  })
})
