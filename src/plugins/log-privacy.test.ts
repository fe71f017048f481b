import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import type { DatabaseHandle } from '../db/connection.ts'
import { DEMO_PASSWORD } from '../db/seed.ts'
import { fixedClock } from '../domain/clock.ts'
import { TEST_NOW } from '../testing/app.ts'
import { TestAgent } from '../testing/agent.ts'
import { createTestDatabase } from '../testing/database.ts'
import type { FastifyInstance } from 'fastify'
import { withoutQueryValues } from './logging.ts'

/*
 * No personal data in the log: a journey through searching for a child, their record and their
 * PEP, with the log captured at debug level, and the log then searched for every child's name and
 * UPN and every person's email address.
 */

let database: DatabaseHandle
let app: FastifyInstance
const lines: string[] = []
beforeAll(async () => {
  database = await createTestDatabase({ seed: 'demo' })
  const clock = fixedClock(TEST_NOW)
  app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }),
    db: database.db,
    clock,
    logStream: { write: (line) => void lines.push(line) },
  })
  await app.ready()
})
afterAll(async () => {
  await app.close()
  await database.close()
})

describe('the log', () => {
  it('keeps of a query string only the names of its parameters', () => {
    expect(withoutQueryValues('/children?q=Smith&school=abc&page=2')).toBe(
      '/children?q=…&school=…&page=…',
    )
    expect(withoutQueryValues('/sign-in?returnTo=%2Fchildren%3Fq%3DSmith')).toBe(
      '/sign-in?returnTo=…',
    )
    expect(withoutQueryValues('/children/1')).toBe('/children/1')
    expect(withoutQueryValues('/x?Jo%20Bloggs=1&a')).toBe('/x?…=…&a=…')
  })

  it('holds no child’s name or UPN and nobody’s email after a journey through a child’s record', async () => {
    const db = database.db
    const children = await db
      .selectFrom('child')
      .select(['id', 'first_name', 'last_name', 'upn'])
      .execute()
    const users = await db.selectFrom('app_user').select('email').execute()
    const pep = await db
      .selectFrom('pep')
      .innerJoin('pep_page', 'pep_page.pep_id', 'pep.id')
      .select(['pep.id', 'pep.child_id', 'pep_page.page_id'])
      .executeTakeFirstOrThrow()
    const child = children.find((c) => c.id === pep.child_id)!

    // Not signed in yet: the search is carried to sign-in in returnTo.
    const agent = new TestAgent(app)
    const search = `/children?q=${encodeURIComponent(`${child.first_name} ${child.last_name}`)}`
    await agent.get(search)
    await agent.get(`/sign-in?returnTo=${encodeURIComponent(search)}`)
    await agent.signIn('vs.admin@example.org', DEMO_PASSWORD)
    for (const url of [
      search,
      `/children?q=${encodeURIComponent(child.upn!)}`,
      `/children?q=${encodeURIComponent(child.last_name)}&status=in_care&page=1`,
      `/children/${child.id}`,
      `/children/${child.id}/history`,
      `/children/${child.id}/peps`,
      `/children/${pep.child_id}/peps/${pep.id}`,
      `/children/${pep.child_id}/peps/${pep.id}/read`,
      `/children/${pep.child_id}/peps/${pep.id}/pages/${pep.page_id}`,
      `/admin/users?q=${encodeURIComponent('designated.teacher@example.org')}`,
      `/children?q=${encodeURIComponent(child.first_name)}%00`,
      // The surfaces added since (issues 18-22): each names the child in its page or its
      // download's file name, never in the log.
      `/children/${child.id}/attendance`,
      `/children/${child.id}/attainment`,
      `/children/${child.id}/funding`,
      `/children/${pep.child_id}/peps/${pep.id}/pep.pdf`,
      `/children/${child.id}/data-rights`,
      `/children/${child.id}/data-rights/subject-access.zip`,
      `/oversight/children?school=x&q=${encodeURIComponent(child.last_name)}`,
      `/oversight/children/export?format=csv`,
      `/oversight/missing-data`,
      `/retention`,
    ]) {
      const response = await agent.get(url)
      expect(response.statusCode, url).toBeLessThan(500)
    }
    const wrong = new TestAgent(app)
    await wrong.get('/sign-in')
    await wrong.post('/sign-in', { email: 'social.worker@example.org', password: 'not-it' })

    const log = lines.join('')
    expect(lines.length).toBeGreaterThan(20)
    expect(log).toContain('"url":"/children?q=…"')
    const found: string[] = []
    for (const c of children) {
      for (const text of [`${c.first_name} ${c.last_name}`, c.last_name, c.upn ?? ''])
        if (text && (log.includes(text) || log.includes(encodeURIComponent(text)))) found.push(text)
    }
    for (const u of users)
      if (log.includes(u.email) || log.includes(encodeURIComponent(u.email))) found.push(u.email)
    expect(found).toEqual([])
  })
})
