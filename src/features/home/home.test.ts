import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { giveRole, linkToChild } from '../../testing/factories.ts'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
})
afterAll(() => t.close())

describe('My work', () => {
  it("lists a designated teacher's children, each with the authority that looks after them", async () => {
    const db = t.database.db
    const dt = await db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'designated.teacher@example.org')
      .executeTakeFirstOrThrow()
    const eastmere = await db
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'EMR')
      .executeTakeFirstOrThrow()
    const placedOut = await db
      .selectFrom('child')
      .select(['id', 'first_name', 'last_name', 'school_id'])
      .where('authority_id', '=', eastmere.id)
      .executeTakeFirstOrThrow()
    // A designated teacher's place rests on their role at the child's school (ADR 8).
    await giveRole(db, {
      userId: dt.id,
      authorityId: eastmere.id,
      role: 'designated_teacher',
      schoolId: placedOut.school_id,
    })
    await linkToChild(db, { childId: placedOut.id, userId: dt.id, capacity: 'designated_teacher' })

    const agent = new TestAgent(t.app)
    await agent.signIn('designated.teacher@example.org', DEMO_PASSWORD)
    const response = await agent.get('/')
    expect(response.statusCode).toBe(200)
    // Someone who works for more than one authority sees which looks after each child.
    const row = response.body
      .split('<tr class="govuk-table__row">')
      .find((r) => r.includes(`${placedOut.first_name} ${placedOut.last_name}</a>`))
    expect(row).toContain('data-label="Looked after by">Eastmere Borough Council</td>')
    expect(response.body).toContain(`${placedOut.first_name} ${placedOut.last_name}`)
    expect(response.body).toContain(`href="/children/${placedOut.id}"`)
    expect((await agent.get(`/children/${placedOut.id}`)).statusCode).toBe(200)
  })

  it('shows my open tasks with a link to the PEP, and how many are in my tray', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('designated.teacher@example.org', DEMO_PASSWORD)
    const open = await t.database.db
      .selectFrom('task')
      .innerJoin('app_user', 'app_user.id', 'task.assigned_to')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('app_user.email', '=', 'designated.teacher@example.org')
      .where('task.status', '=', 'open')
      .where('task.is_alert', '=', false)
      .executeTakeFirstOrThrow()
    expect(Number(open.n)).toBeGreaterThan(0)
    const page = await agent.get('/')
    expect(page.body).toContain('My tasks')
    expect(page.body).toMatch(
      /href="\/children\/[0-9a-f-]{36}\/peps\/[0-9a-f-]{36}">Complete the school/,
    )
    expect(page.body).toContain(`Open my tray (${Number(open.n)} task`)
  })

  it('shows nobody else the children of others', async () => {
    const agent = new TestAgent(t.app)
    // The carer is on Charlie's list alone; their home is the children in their care (issue 20).
    await agent.signIn('carer@example.org', DEMO_PASSWORD)
    const landing = await agent.get('/')
    expect(landing.headers.location).toBe('/my-children')
    const response = await agent.get('/my-children')
    const children = response.body.match(/aria-labelledby="child-/g) ?? []
    expect(children).toHaveLength(1)
    expect(response.body).toContain('Charlie Young')
  })

  it('points Virtual School staff to the list of every child', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('vs.head@example.org', DEMO_PASSWORD)
    const response = await agent.get('/')
    expect(response.body).toContain('Find a child in your authority')
    expect(response.body).toContain(
      'You see every child in your authority through the list of children.',
    )
  })
})
