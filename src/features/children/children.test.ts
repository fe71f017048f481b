import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD, seedDemo } from '../../db/seed.ts'

let t: TestContext
let eastmereChild: string
let harrowfieldChild: string
beforeAll(async () => {
  t = await createTestApp()
  await seedDemo(t.database.db, t.clock.now())
  const rows = await t.database.db
    .selectFrom('child')
    .innerJoin('authority', 'authority.id', 'child.authority_id')
    .select(['child.last_name', 'authority.code'])
    .orderBy('child.last_name')
    .execute()
  eastmereChild = rows.find((r) => r.code === 'EMR')!.last_name
  harrowfieldChild = rows.find((r) => r.code === 'HFD')!.last_name
})
afterAll(() => t.close())

describe('children list', () => {
  it('shows Virtual School staff the children of their own authority only', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('vs.admin@example.org', DEMO_PASSWORD)
    const response = await agent.get('/children')
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('Showing 1 to 25 of 28 children.')
    expect(response.body).toContain(harrowfieldChild)
    expect(response.body).not.toContain('Eastmere Borough Council')
    const page2 = await agent.get('/children?page=2')
    expect(page2.body).toContain('Showing 26 to 28 of 28 children.')
  })

  it('shows another authority its own children', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('eastmere.admin@example.org', DEMO_PASSWORD)
    const response = await agent.get('/children')
    expect(response.body).toContain('Showing 1 to 4 of 4 children.')
    expect(response.body).toContain(eastmereChild)
    expect(response.body).not.toContain('Harrowfield County Council')
  })

  it('treats a page number that is not a number as the first page', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('vs.admin@example.org', DEMO_PASSWORD)
    const response = await agent.get('/children?page=%27;drop%20table')
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('Showing 1 to 25 of 28 children.')
  })

  it('refuses roles that may not list every child', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('social.worker@example.org', DEMO_PASSWORD)
    const response = await agent.get('/children')
    expect(response.statusCode).toBe(403)
    expect(response.body).not.toContain(harrowfieldChild)
    const home = await agent.get('/')
    expect(home.body).not.toContain('href="/children"')
  })
})
