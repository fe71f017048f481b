import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fundingWorld, type FundingWorld } from '../../testing/funding-world.ts'

/*
 * The Virtual School's Pupil Premium Plus pages through HTTP (issue 18): budgets per financial
 * year (amounts read as whole pence, garbage refused), the authority's and each school's figures
 * summed from the decisions, the requests awaiting a decision, the settings (categories, deciding
 * before submission); each by permission, audited, and nothing to anyone else.
 */

let w: FundingWorld
const head = () => w.agent('vs.head@example.org')
const consultant = () => w.agent('vs.consultant@example.org')

beforeAll(async () => {
  w = await fundingWorld()
})
afterAll(() => w.close())

describe('budgets', () => {
  it('lists this year and next, and refuses amounts that are not whole pence', async () => {
    const list = await (await head()).get('/funding/budgets')
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain('2026-27')
    expect(list.body).toContain('2027-28')
    const form = await (await head()).get('/funding/budgets/2026-27')
    expect(form.statusCode).toBe(200)
    const refused = await (
      await head()
    ).post('/funding/budgets/2026-27', {
      allocation: '£2,630.005',
      devolved: '12e3',
      central: '-1',
      grant: '💷',
    })
    expect(refused.statusCode).toBe(400)
    for (const message of [
      'The allocation per child must be in pounds and pence, with no more than 2 decimal places',
      'The amount devolved to schools each term must be an amount of money',
      'The amount held centrally must be £0 or more',
      'The grant received must be an amount of money',
    ])
      expect(refused.body).toContain(message)
    expect(refused.body).toContain('value="£2,630.005"')
    expect(await w.t.database.db.selectFrom('funding_budget').selectAll().execute()).toEqual([])
  })

  it('saves a year’s budget, audited with what it was before', async () => {
    const saved = await (
      await head()
    ).post('/funding/budgets/2026-27', {
      allocation: '£2,630',
      devolved: '500',
      central: '100,000.00',
      grant: '0',
    })
    expect(saved.statusCode).toBe(303)
    const again = await (
      await head()
    ).post('/funding/budgets/2026-27', {
      allocation: '2630',
      devolved: '500',
      central: '100000',
      grant: '£7,890',
    })
    expect(again.statusCode).toBe(303)
    const row = await w.t.database.db
      .selectFrom('funding_budget')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      financial_year: 2026,
      allocation_per_child_pence: 263_000,
      devolved_per_term_pence: 50_000,
      central_pence: 10_000_000,
      grant_received_pence: 789_000,
    })
    const events = await w.t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'funding.budget.update')
      .orderBy('occurred_at')
      .execute()
    expect(events).toHaveLength(2)
    expect(events[1]!.details).toMatchObject({
      financialYear: 2026,
      before: { grantReceivedPence: 0 },
      after: { grantReceivedPence: 789_000 },
    })
    expect((await (await head()).get('/funding/budgets/2026-28')).statusCode).toBe(404)
    expect((await (await head()).get('/funding/budgets/garbage')).statusCode).toBe(404)
  })
})

describe('the authority’s figures', () => {
  it('adds up what is approved per school and against the grant received', async () => {
    const a = await w.childWithTargets('HFD-OV-1', ['Maths', 'Reading'])
    const b = await w.childWithTargets('HFD-OV-2', ['Science'])
    const [a1, a2, b1] = [
      await w.request(a.childId, a.pepId, a.targetIds[0]!, '1000'),
      await w.request(a.childId, a.pepId, a.targetIds[1]!, '250.50', 'Resources'),
      await w.request(b.childId, b.pepId, b.targetIds[0]!, '0.01'),
    ]
    expect(await w.decide(await consultant(), a.childId, a1, { outcome: 'approved' })).toBe(303)
    expect(
      await w.decide(await consultant(), a.childId, a2, {
        outcome: 'part_approved',
        amount: '200',
        reason: 'Fewer books',
      }),
    ).toBe(303)
    expect(
      await w.decide(await consultant(), b.childId, b1, { outcome: 'declined', reason: 'No' }),
    ).toBe(303)
    const page = await (await consultant()).get('/funding')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Pupil Premium Plus 2026-27')
    // £1,000 + £200 approved; the decline counts nothing.
    expect(page.body).toContain('£1,200.00')
    expect(page.body).toContain('£7,890.00')
    // The grant not yet committed: £7,890 - £1,200.
    expect(page.body).toContain('£6,690.00')
    expect(page.body).toContain('Kingsmead')
    expect(page.body).toMatch(/Requests awaiting a decision \(0\)/)
  })

  it('lists requests awaiting a decision once their PEP reaches the Virtual School, or at once by a setting', async () => {
    const c = await w.childWithTargets('HFD-OV-3', ['Art'])
    await w.t.database.db
      .updateTable('pep')
      .set({ status: 'in_progress' })
      .where('id', '=', c.pepId)
      .execute()
    await w.request(c.childId, c.pepId, c.targetIds[0]!, '75')
    const before = await (await consultant()).get('/funding/decisions')
    expect(before.statusCode).toBe(200)
    expect(before.body).not.toContain('HFD-OV-3')
    const settings = await (await head()).get('/funding/settings')
    expect(settings.body).toContain('Trips and enrichment')
    const refused = await (await head()).post('/funding/settings', { categories: ' \n ' })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('Enter at least one category')
    const saved = await (
      await head()
    ).post('/funding/settings', {
      categories: 'Tuition\nMusic lessons\nTuition',
      decideBeforeSubmission: 'yes',
    })
    expect(saved.statusCode).toBe(303)
    const after = await (await consultant()).get('/funding/decisions')
    expect(after.body).toContain('HFD-OV-3')
    expect(after.body).toContain('£75.00')
    const form = await (
      await w.agent('designated.teacher@example.org')
    ).get(`/children/${c.childId}/peps/${c.pepId}/funding/targets/${c.targetIds[0]}`)
    expect(form.body).toContain('Music lessons')
    expect(form.body).not.toContain('Trips and enrichment')
  })
})

describe('who may see and do what', () => {
  it('refuses the pages to roles without the permission, and audits each view', async () => {
    for (const [email, url] of [
      ['social.worker@example.org', '/funding'],
      ['designated.teacher@example.org', '/funding/decisions'],
      ['vs.consultant@example.org', '/funding/budgets'],
      ['vs.consultant@example.org', '/funding/settings'],
      ['business.support@example.org', '/funding/decisions'],
      ['carer@example.org', '/funding'],
    ] as const) {
      const response = await (await w.agent(email)).get(url)
      expect(response.statusCode, `${email} ${url}`).toBe(403)
      expect(response.body).not.toContain('£')
    }
    const refused = await (await consultant()).post('/funding/budgets/2026-27', { allocation: '1' })
    expect(refused.statusCode).toBe(403)
    // Another authority's administrator sees their own authority, never Harrowfield's.
    const other = await (await w.agent('eastmere.admin@example.org')).get('/funding')
    expect(other.statusCode).toBe(200)
    expect(other.body).not.toContain('Kingsmead')
    const asked = await (
      await w.agent('eastmere.admin@example.org')
    ).get(`/funding?authority=${w.authorityId}`)
    expect(asked.statusCode).toBe(404)
    const views = await w.t.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'in', ['funding.overview', 'funding.decisions.view', 'funding.budget.view'])
      .execute()
    expect(new Set(views.map((v) => v.action))).toEqual(
      new Set(['funding.overview', 'funding.decisions.view', 'funding.budget.view']),
    )
  })
})
