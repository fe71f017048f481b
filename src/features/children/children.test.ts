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

describe("the child's page", () => {
  async function childrenOf(email: string) {
    return t.database.db
      .selectFrom('child_access as ca')
      .innerJoin('app_user as u', 'u.id', 'ca.user_id')
      .innerJoin('child as c', 'c.id', 'ca.child_id')
      .select(['c.id', 'c.first_name', 'c.last_name'])
      .where('u.email', '=', email)
      .execute()
  }

  it('shows a social worker a child on their list, with its core data and access list', async () => {
    const [child] = await childrenOf('social.worker@example.org')
    const agent = new TestAgent(t.app)
    await agent.signIn('social.worker@example.org', DEMO_PASSWORD)
    const response = await agent.get(`/children/${child!.id}`)
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain(`${child!.first_name} ${child!.last_name}`)
    expect(response.body).toContain('Users with access to this record')
    expect(response.body).toContain('Jordan Social')
    expect(response.body).toMatch(/Year group<\/dt>\s*<dd[^>]*>(Year \d+|Reception|Nursery)/)
    expect(response.body).toMatch(/Days in care<\/dt>\s*<dd[^>]*>\d+<\/dd>/)
  })

  it('answers 404, without the name, for a child not on their list, or an id that is not one', async () => {
    const mine = new Set((await childrenOf('social.worker@example.org')).map((c) => c.id))
    const other = await t.database.db
      .selectFrom('child')
      .select(['id', 'first_name', 'last_name'])
      .where('id', 'not in', [...mine])
      .executeTakeFirstOrThrow()
    const agent = new TestAgent(t.app)
    await agent.signIn('social.worker@example.org', DEMO_PASSWORD)
    for (const url of [
      `/children/${other.id}`,
      '/children/not-a-uuid',
      '/children/00000000-0000-4000-8000-000000000000',
    ]) {
      const response = await agent.get(url)
      expect(response.statusCode, url).toBe(404)
      expect(response.body).not.toContain(other.last_name)
      expect(response.body).toContain('Page not found')
    }
  })

  it("hides another authority's child from Virtual School staff", async () => {
    const eastmere = await t.database.db
      .selectFrom('child')
      .innerJoin('authority', 'authority.id', 'child.authority_id')
      .select(['child.id', 'child.last_name'])
      .where('authority.code', '=', 'EMR')
      .executeTakeFirstOrThrow()
    const agent = new TestAgent(t.app)
    await agent.signIn('vs.admin@example.org', DEMO_PASSWORD)
    const response = await agent.get(`/children/${eastmere.id}`)
    expect(response.statusCode).toBe(404)
    expect(response.body).not.toContain(eastmere.last_name)
  })
})
