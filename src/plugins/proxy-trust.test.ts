import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import type { DatabaseHandle } from '../db/connection.ts'
import { fixedClock } from '../domain/clock.ts'
import { TEST_NOW } from '../testing/app.ts'
import { TestAgent } from '../testing/agent.ts'
import { createTestDatabase } from '../testing/database.ts'

/*
 * Who a request comes from decides two things: the per-address limit on sign-in attempts and
 * the address in the audit trail. A client may send any X-Forwarded-For it likes; only a proxy
 * OpenPEP is told to trust (TRUST_PROXY) may change the address, and only by what it appends.
 */

let database: DatabaseHandle
const apps: FastifyInstance[] = []
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  for (const app of apps) await app.close()
  await database.close()
})

async function appWith(env: Record<string, string>) {
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', ...env }),
    db: database.db,
    clock: fixedClock(TEST_NOW),
    attemptLimit: { max: 3, timeWindowMs: 60_000 },
  })
  await app.ready()
  apps.push(app)
  return app
}

/** A sign-in attempt with the page's CSRF token, from a socket address, with headers. */
async function attempt(
  app: FastifyInstance,
  email: string,
  remoteAddress: string,
  forwardedFor?: string,
) {
  const agent = new TestAgent(app)
  const headers = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}
  const page = await agent.request({ method: 'GET', url: '/sign-in', remoteAddress, headers })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  const payload = new URLSearchParams({ _csrf: csrf, email, password: 'not-the-password' })
  return agent.request({
    method: 'POST',
    url: '/sign-in',
    remoteAddress,
    payload: payload.toString(),
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
  })
}

async function auditedAddresses(email: string) {
  const { emailKey } = await import('../features/auth/auth.service.ts')
  const rows = await database.db
    .selectFrom('audit_event')
    .select('ip')
    .where('action', '=', 'sign-in.failure')
    .where((eb) => eb(eb.ref('details', '->>').key('emailKey' as never), '=', emailKey(email)))
    .execute()
  return rows.map((r) => r.ip)
}

describe('without TRUST_PROXY', () => {
  it("ignores a client's X-Forwarded-For for the attempt limit and the audit trail", async () => {
    const app = await appWith({})
    const client = '192.0.2.10'
    for (let i = 1; i <= 3; i++) {
      const response = await attempt(app, 'direct@example.org', client, `198.51.100.${i}`)
      expect(response.statusCode).toBe(400)
    }
    const fourth = await attempt(app, 'direct@example.org', client, '198.51.100.99')
    expect(fourth.statusCode).toBe(429)
    expect(await auditedAddresses('direct@example.org')).toEqual([client, client, client])
    // Another socket address has its own count.
    expect((await attempt(app, 'direct@example.org', '192.0.2.11')).statusCode).toBe(400)
  })
})

describe('in production', () => {
  it('still counts a direct client by its own address, whatever it claims', async () => {
    const app = await appWith({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u@db.invalid/openpep',
      SESSION_SECRET: randomBytes(48).toString('base64'),
      SMTP_URL: 'smtp://mail.invalid',
      BASE_URL: 'https://pep.example.org',
      TRUST_PROXY: '10.0.0.5',
      // Production needs its own authenticator-secret key (issue 13).
      MFA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      LOG_LEVEL: 'silent',
    })
    const post = (forwardedFor: string) =>
      app.inject({
        method: 'POST',
        url: '/sign-in',
        remoteAddress: '192.0.2.60',
        payload: 'email=prod@example.org&password=x',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': forwardedFor,
        },
      })
    // Without a session these are refused by the CSRF check; the limit counts them first.
    for (let i = 1; i <= 3; i++) expect((await post(`198.51.100.${i}`)).statusCode).not.toBe(429)
    expect((await post('198.51.100.4')).statusCode).toBe(429)
  })
})

describe('TRUST_PROXY set to a hop count', () => {
  it("uses the address the proxy appended, never the client's own first entry", async () => {
    const app = await appWith({ TRUST_PROXY: '1' })
    const proxy = '10.0.0.5'
    const client = '198.51.100.7'
    for (let i = 1; i <= 3; i++) {
      const spoofed = `203.0.113.${i}, ${client}`
      expect((await attempt(app, 'hops@example.org', proxy, spoofed)).statusCode).toBe(400)
    }
    expect(
      (await attempt(app, 'hops@example.org', proxy, `203.0.113.9, ${client}`)).statusCode,
    ).toBe(429)
    expect(await auditedAddresses('hops@example.org')).toEqual([client, client, client])
    // Another client behind the same proxy is counted separately.
    expect((await attempt(app, 'hops@example.org', proxy, '198.51.100.8')).statusCode).toBe(400)
  })
})

describe('TRUST_PROXY set to addresses', () => {
  it('believes X-Forwarded-For only from a listed proxy', async () => {
    const app = await appWith({ TRUST_PROXY: '10.0.1.0/24, 10.0.2.5' })
    const client = '198.51.100.20'
    expect(
      (await attempt(app, 'listed@example.org', '10.0.1.7', `203.0.113.1, ${client}`)).statusCode,
    ).toBe(400)
    expect((await attempt(app, 'listed@example.org', '10.0.2.5', client)).statusCode).toBe(400)
    // Straight from the internet, claiming to be that client: its own address counts.
    const direct = '192.0.2.50'
    expect((await attempt(app, 'listed@example.org', direct, client)).statusCode).toBe(400)
    expect(await auditedAddresses('listed@example.org')).toEqual([client, client, direct])
    // The client has two of its three attempts used; the direct caller did not spend its third.
    expect((await attempt(app, 'listed@example.org', '10.0.2.5', client)).statusCode).toBe(400)
    expect((await attempt(app, 'listed@example.org', '10.0.2.5', client)).statusCode).toBe(429)
  })
})
