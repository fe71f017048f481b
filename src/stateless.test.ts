import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.ts'
import { loadConfig } from './config.ts'
import type { DatabaseHandle } from './db/connection.ts'
import { DEMO_PASSWORD } from './db/seed.ts'
import { fixedClock } from './domain/clock.ts'
import { createTestDatabase } from './testing/database.ts'
import { TestAgent } from './testing/agent.ts'

/*
 * Several app processes share one database: nothing a user needs lives in one process's memory.
 * Two app instances stand in for two processes behind a load balancer.
 */
let database: DatabaseHandle
let first: FastifyInstance
let second: FastifyInstance

beforeAll(async () => {
  database = await createTestDatabase({ seed: 'demo' })
  const clock = fixedClock('2026-11-23T10:00:00Z')
  const config = loadConfig({ NODE_ENV: 'test' })
  first = await buildApp({ config, db: database.db, clock })
  second = await buildApp({ config, db: database.db, clock })
})
afterAll(async () => {
  await first.close()
  await second.close()
  await database.close()
})

describe('several app processes', () => {
  it('share sessions and CSRF secrets: sign in on one, carry on and sign out on the other', async () => {
    const one = new TestAgent(first)
    await one.signIn('vs.admin@example.org', DEMO_PASSWORD)
    const cookie = one.cookieHeader()
    expect(cookie).toContain('openpep.sid=')

    const page = await second.inject({ url: '/children', headers: { cookie } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Alex Admin')
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1]
    expect(token).toBeDefined()

    const out = await second.inject({
      method: 'POST',
      url: '/sign-out',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(token!)}`,
    })
    expect(out.statusCode).toBe(303)
    expect((await first.inject({ url: '/', headers: { cookie } })).statusCode).toBe(302)
  })

  it('keeps writes made through one visible through the other', async () => {
    const one = new TestAgent(first)
    await one.signIn('social.worker@example.org', DEMO_PASSWORD)
    const child = await database.db
      .selectFrom('child_access')
      .innerJoin('app_user', 'app_user.id', 'child_access.user_id')
      .select('child_access.child_id')
      .where('app_user.email', '=', 'social.worker@example.org')
      .executeTakeFirstOrThrow()
    await one.get(`/children/${child.child_id}/notes`)
    expect(
      (
        await one.post(`/children/${child.child_id}/notes`, {
          kind: 'user_note',
          body: 'Written through the first process',
        })
      ).statusCode,
    ).toBe(303)
    const cookie = one.cookieHeader()
    const read = await second.inject({
      url: `/children/${child.child_id}/notes`,
      headers: { cookie },
    })
    expect(read.body).toContain('Written through the first process')
  })

  it('count sign-in attempts together: the per-address limit holds across processes', async () => {
    const clock = fixedClock('2026-11-23T11:00:00Z')
    const config = loadConfig({ NODE_ENV: 'test' })
    const limit = { max: 4, timeWindowMs: 60_000 }
    const a = await buildApp({ config, db: database.db, clock, attemptLimit: limit })
    const b = await buildApp({ config, db: database.db, clock, attemptLimit: limit })
    try {
      const statuses: number[] = []
      for (const app of [a, b, a, b, a]) {
        const agent = new TestAgent(app)
        await agent.get('/sign-in')
        const response = await agent.post('/sign-in', {
          email: 'nobody@example.org',
          password: 'wrong password',
        })
        statuses.push(response.statusCode)
      }
      expect(statuses).toEqual([400, 400, 400, 400, 429])
      // A new window starts when this one ends.
      clock.advance(60_000)
      const agent = new TestAgent(b)
      await agent.get('/sign-in')
      expect(
        (await agent.post('/sign-in', { email: 'nobody@example.org', password: 'wrong password' }))
          .statusCode,
      ).toBe(400)
    } finally {
      await a.close()
      await b.close()
    }
  })
})
