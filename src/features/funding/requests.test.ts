import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import type { TestContext } from '../../testing/app.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import { makePepPage } from '../../testing/factories.ts'

/*
 * Pupil Premium Plus requests and decisions through HTTP (issue 18): a SMART target's request,
 * changed before a decision with its history kept; the Virtual School's decisions (approve, a
 * smaller amount, decline) with their rules, at the allocation's edge and across the financial
 * year's end; a changed decision keeps the earlier one; every change audited; and everyone
 * without the right to it gets "Page not found".
 */

let world: DemoWorld
let t: TestContext
let childId: string
let pepId: string
const target = {
  maths: randomUUID(),
  reading: randomUUID(),
  trip: randomUUID(),
  extra: randomUUID(),
}

const dt = () => world.agent('designated.teacher@example.org')
const consultant = () => world.agent('vs.consultant@example.org')
const head = () => world.agent('vs.head@example.org')

/** The PEP's SMART targets page, saved once (each PEP here has its targets set once). */
async function setTargets(pep: string, items: Record<string, unknown>[]) {
  await makePepPage(t.database.db, {
    pepId: pep,
    pageId: 'smart-targets',
    answers: { targets: items },
    savedBy: null,
    at: t.clock.now(),
  })
}

const item = (id: string, text: string, amount?: string) => ({
  id,
  area: 'mathematics',
  target: text,
  'success-measure': 'Test scores',
  actions: 'Tutoring',
  responsible: 'Class teacher',
  'by-date': '2027-03-01',
  ...(amount ? { 'funding-amount': amount, 'funding-purpose': 'Ten tutoring sessions' } : {}),
})

async function budget(year: number, allocationPence: number) {
  await t.database.db
    .insertInto('funding_budget')
    .values({
      authority_id: world.authorityId,
      financial_year: year,
      allocation_per_child_pence: allocationPence,
      devolved_per_term_pence: 0,
      central_pence: 0,
      grant_received_pence: 0,
      updated_by: null,
      updated_at: t.clock.now(),
    })
    .onConflict((oc) =>
      oc
        .columns(['authority_id', 'financial_year'])
        .doUpdateSet({ allocation_per_child_pence: allocationPence }),
    )
    .execute()
}

const requestOf = async (targetId: string) =>
  t.database.db
    .selectFrom('funding_request')
    .selectAll()
    .where('pep_id', '=', pepId)
    .where('target_id', '=', targetId)
    .executeTakeFirstOrThrow()

const versionOn = (html: string) => /name="version" value="([^"]*)"/.exec(html)?.[1] ?? ''

async function request(agent: TestAgent, targetId: string, form: Record<string, string>) {
  const url = `/children/${childId}/peps/${pepId}/funding/targets/${targetId}`
  const page = await agent.get(url)
  return agent.post(url, { version: versionOn(page.body), ...form })
}

async function decideOn(agent: TestAgent, requestId: string, form: Record<string, string>) {
  const url = `/children/${childId}/funding/requests/${requestId}`
  const page = await agent.get(url)
  return agent.post(`${url}/decision`, { version: versionOn(page.body), ...form })
}

const auditOf = (action: string) =>
  t.database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', action)
    .where('child_id', '=', childId)
    .execute()

beforeAll(async () => {
  world = await demoWorld()
  t = world.t
  childId = await world.newChild({
    firstName: 'Robin',
    lastName: 'Funding',
    caseReference: 'HFD-PPP-1',
    access: [
      ['social.worker@example.org', 'social_worker'],
      ['designated.teacher@example.org', 'designated_teacher'],
      ['carer@example.org', 'carer'],
      ['iro@example.org', 'iro'],
    ],
  })
  pepId = await world.startPep(childId, { meetingOn: '2026-11-20' })
  await setTargets(pepId, [
    item(target.maths, 'Reach age-related expectations in fractions', '500.00'),
    item(target.reading, 'Read a chapter book independently'),
    item(target.trip, 'Join the residential trip'),
    item(target.extra, 'Build confidence in science'),
  ])
})
afterAll(() => world.close())

describe('requesting funding for a SMART target', () => {
  it('lists the PEP’s targets, linked from its contents page', async () => {
    const contents = await (await dt()).get(`/children/${childId}/peps/${pepId}`)
    expect(contents.body).toContain(`href="/children/${childId}/peps/${pepId}/funding"`)
    const page = await (await dt()).get(`/children/${childId}/peps/${pepId}/funding`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Reach age-related expectations in fractions')
    expect(page.body).toContain('£500.00 (not requested yet)')
  })

  it('opens filled in from the form and refuses bad answers, naming each field and keeping them', async () => {
    const url = `/children/${childId}/peps/${pepId}/funding/targets/${target.maths}`
    const form = await (await dt()).get(url)
    expect(form.body).toContain('value="500.00"')
    expect(form.body).toContain('Ten tutoring sessions')
    for (const [amount, message] of [
      [
        '£1,000.005',
        'The amount requested must be in pounds and pence, with no more than 2 decimal places',
      ],
      ['12e3', 'The amount requested must be an amount of money, like £250 or £1,234.50'],
      ['🙂', 'The amount requested must be an amount of money, like £250 or £1,234.50'],
      ['0', 'The amount requested must be more than £0'],
      ['-5', 'The amount requested must be more than £0'],
      ['100000.01', 'The amount requested must be £100,000 or less'],
    ] as const) {
      const refused = await request(await dt(), target.maths, {
        amount,
        purpose: 'Kept 💷 as typed',
        category: 'Not a category',
        expectedImpact: '',
      })
      expect(refused.statusCode).toBe(400)
      expect(refused.body).toContain(`<a href="#amount">${message.replace(/"/g, '&quot;')}</a>`)
      expect(refused.body).toContain('<a href="#category">Select the category of spending</a>')
      expect(refused.body).toContain(
        '<a href="#expectedImpact">Enter the impact the funding is expected to have</a>',
      )
      expect(refused.body).toContain('Kept 💷 as typed')
    }
    expect(await t.database.db.selectFrom('funding_request').selectAll().execute()).toEqual([])
  })

  it('saves a request as its own row with its first version, audited', async () => {
    const sent = await request(await dt(), target.maths, {
      amount: '£500',
      purpose: 'Ten tutoring sessions',
      category: 'Tuition',
      expectedImpact: 'Secure in fractions by March',
    })
    expect(sent.statusCode).toBe(303)
    const row = await requestOf(target.maths)
    expect(row).toMatchObject({
      amount_pence: 50_000,
      category: 'Tuition',
      target_text: 'Reach age-related expectations in fractions',
      requested_by: world.ids['designated.teacher@example.org'],
      school_id: world.schoolId,
      version: 1,
    })
    const [event] = await auditOf('funding.request.save')
    expect(event).toMatchObject({ outcome: 'success', acting_role: 'designated_teacher' })
    expect(event!.details).toMatchObject({
      requestId: row.id,
      amountPence: 50_000,
      change: 'requested',
    })
  })

  it('changes an undecided request, keeping each version; a stale form is refused', async () => {
    const url = `/children/${childId}/peps/${pepId}/funding/targets/${target.maths}`
    const stale = versionOn((await (await dt()).get(url)).body)
    const changed = await request(await dt(), target.maths, {
      amount: '600.50',
      purpose: 'Twelve tutoring sessions',
      category: 'Tuition',
      expectedImpact: 'Secure in fractions by March',
    })
    expect(changed.statusCode).toBe(303)
    expect(await requestOf(target.maths)).toMatchObject({ amount_pence: 60_050, version: 2 })
    const refused = await (
      await dt()
    ).post(url, {
      version: stale,
      amount: '1',
      purpose: 'x',
      category: 'Tuition',
      expectedImpact: 'x',
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('Someone else saved this request while you had it open')
    const revisions = await t.database.db
      .selectFrom('funding_request_revision')
      .select(['version', 'amount_pence'])
      .where('request_id', '=', (await requestOf(target.maths)).id)
      .orderBy('version')
      .execute()
    expect(revisions).toEqual([
      { version: 1, amount_pence: 50_000 },
      { version: 2, amount_pence: 60_050 },
    ])
  })

  it('is not offered for a post-16 PEP, nor for a target the PEP does not have', async () => {
    const db = t.database.db
    await db.updateTable('pep').set({ form_type: 'post-16' }).where('id', '=', pepId).execute()
    const post16 = await (
      await dt()
    ).get(`/children/${childId}/peps/${pepId}/funding/targets/${target.reading}`)
    expect(post16.statusCode).toBe(404)
    await db.updateTable('pep').set({ form_type: 'primary' }).where('id', '=', pepId).execute()
    const none = await (
      await dt()
    ).get(`/children/${childId}/peps/${pepId}/funding/targets/${randomUUID()}`)
    expect(none.statusCode).toBe(404)
  })
})

describe('the Virtual School’s decision', () => {
  it('waits until the PEP reaches the Virtual School', async () => {
    const row = await requestOf(target.maths)
    const page = await (await consultant()).get(`/children/${childId}/funding/requests/${row.id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('once its PEP reaches the Virtual School')
    expect(page.body).not.toContain('Record the decision')
    const refused = await (
      await consultant()
    ).post(`/children/${childId}/funding/requests/${row.id}/decision`, {
      version: String(row.version),
      outcome: 'approved',
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('The PEP has not reached the Virtual School yet')
    await t.database.db
      .updateTable('pep')
      .set({ status: 'awaiting_qa' })
      .where('id', '=', pepId)
      .execute()
  })

  it('needs the year’s budget before approving', async () => {
    const row = await requestOf(target.maths)
    const refused = await decideOn(await consultant(), row.id, { outcome: 'approved' })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain(
      'Set the budget for this financial year before approving funding',
    )
  })

  it('refuses a smaller amount that is not smaller, garbage, and a decline without a reason', async () => {
    await budget(2026, 263_000)
    const row = await requestOf(target.maths)
    for (const [form, message] of [
      [
        { outcome: 'part_approved', amount: '600.50', reason: 'r' },
        'The amount approved must be less than the £600.50 requested',
      ],
      [
        { outcome: 'part_approved', amount: '£1,000.005', reason: 'r' },
        'The amount approved must be in pounds and pence',
      ],
      [
        { outcome: 'part_approved', amount: '12e3', reason: 'r' },
        'The amount approved must be an amount of money',
      ],
      [
        { outcome: 'part_approved', amount: '300', reason: '' },
        'Enter the reason, which the school and social worker will see',
      ],
      [
        { outcome: 'declined', reason: '  ' },
        'Enter the reason, which the school and social worker will see',
      ],
      [{ outcome: 'maybe' }, 'Select whether to approve, approve a smaller amount or decline'],
    ] as const) {
      const refused = await decideOn(await consultant(), row.id, form)
      expect(refused.statusCode).toBe(400)
      expect(refused.body).toContain(message)
    }
    expect(await t.database.db.selectFrom('funding_decision').selectAll().execute()).toEqual([])
  })

  it('approves a smaller amount with a reason the school and social worker read', async () => {
    const row = await requestOf(target.maths)
    const decided = await decideOn(await consultant(), row.id, {
      outcome: 'part_approved',
      amount: '400',
      reason: 'Eight sessions this term',
    })
    expect(decided.statusCode).toBe(303)
    for (const email of ['designated.teacher@example.org', 'social.worker@example.org']) {
      const page = await (
        await world.agent(email)
      ).get(`/children/${childId}/funding/requests/${row.id}`)
      expect(page.body).toContain('Approved in part')
      expect(page.body).toContain('Eight sessions this term')
      expect(page.body).toContain('£400.00')
      expect(page.body).not.toContain('Record the decision')
    }
    const [event] = await auditOf('funding.decision')
    expect(event!.details).toMatchObject({
      outcome: 'part_approved',
      amountPence: 40_000,
      financialYear: 2026,
    })
  })

  it('changes a decision, keeping the earlier one in its history; a decided request is not changed', async () => {
    const row = await requestOf(target.maths)
    const decided = await decideOn(await consultant(), row.id, { outcome: 'approved' })
    expect(decided.statusCode).toBe(303)
    const decisions = await t.database.db
      .selectFrom('funding_decision')
      .select(['outcome', 'amount_pence', 'is_current'])
      .where('request_id', '=', row.id)
      .orderBy('decided_at')
      .orderBy('is_current')
      .execute()
    expect(decisions).toEqual([
      { outcome: 'part_approved', amount_pence: 40_000, is_current: false },
      { outcome: 'approved', amount_pence: 60_050, is_current: true },
    ])
    const page = await (await consultant()).get(`/children/${childId}/funding/requests/${row.id}`)
    expect(page.body).toContain('Approved in part £400.00 (replaced)')
    expect(page.body).toContain('Approved £600.50 (current)')
    const form = await (
      await dt()
    ).get(`/children/${childId}/peps/${pepId}/funding/targets/${target.maths}`)
    expect(form.statusCode).toBe(303)
  })

  it('never lets the person who requested decide', async () => {
    const sent = await request(await consultant(), target.reading, {
      amount: '100',
      purpose: 'Books',
      category: 'Resources',
      expectedImpact: 'Reads daily',
    })
    expect(sent.statusCode).toBe(303)
    const row = await requestOf(target.reading)
    const refused = await decideOn(await consultant(), row.id, { outcome: 'approved' })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('You requested this funding, so someone else must decide on it')
    expect(
      await decideOn(await head(), row.id, {
        outcome: 'declined',
        reason: 'School budget covers books',
      }),
    ).toMatchObject({ statusCode: 303 })
  })

  it('approves exactly up to the allocation; 1p over needs a head, with a reason', async () => {
    // Approved so far this year: £600.50. Allocation £2,630: £2,029.50 left.
    const edge = await request(await dt(), target.trip, {
      amount: '2029.50',
      purpose: 'Residential trip',
      category: 'Trips and enrichment',
      expectedImpact: 'Belonging',
    })
    expect(edge.statusCode).toBe(303)
    const trip = await requestOf(target.trip)
    expect(await decideOn(await consultant(), trip.id, { outcome: 'approved' })).toMatchObject({
      statusCode: 303,
    })

    await request(await dt(), target.extra, {
      amount: '0.01',
      purpose: 'A science kit',
      category: 'Resources',
      expectedImpact: 'Confidence',
    })
    const extra = await requestOf(target.extra)
    const over = await decideOn(await consultant(), extra.id, { outcome: 'approved' })
    expect(over.statusCode).toBe(400)
    expect(over.body).toContain(
      'This would take the child past their allocation of £2,630.00 for the year (£0.00 left)',
    )
    const noReason = await decideOn(await head(), extra.id, { outcome: 'approved' })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.body).toContain('Enter why the child may go past their allocation of £2,630.00')
    const approved = await decideOn(await head(), extra.id, {
      outcome: 'approved',
      overAllocationReason: 'Exam year: agreed with the head',
    })
    expect(approved.statusCode).toBe(303)
    const tab = await (await dt()).get(`/children/${childId}/funding`)
    expect(tab.statusCode).toBe(200)
    expect(tab.body).toContain('2026-27')
    expect(tab.body).toContain('£2,630.01')
    expect(tab.body).toContain('-£0.01')
    expect(tab.body).toContain('Over allocation')
  })

  it('counts a decision in the financial year of its date: 31 March and 1 April', async () => {
    const db = t.database.db
    const second = await world.startPep(childId, { term: '2027-spring' })
    await db.updateTable('pep').set({ status: 'awaiting_qa' }).where('id', '=', second).execute()
    const [a, b] = [randomUUID(), randomUUID()]
    await setTargets(second, [item(a, 'Spring target A'), item(b, 'Spring target B')])
    const saved = pepId
    pepId = second
    try {
      for (const id of [a, b])
        await request(await dt(), id, {
          amount: '10',
          purpose: 'p',
          category: 'Tuition',
          expectedImpact: 'i',
        })
      await budget(2027, 1000)
      // The 2026-27 allocation is spent (and more), so only a head could approve on 31 March.
      t.clock.set('2027-03-31T23:30:00Z') // 00:30 on 1 April in England (British Summer Time)
      let agent = new TestAgent(t.app)
      await agent.signIn('vs.consultant@example.org', DEMO_PASSWORD)
      expect(await decideOn(agent, (await requestOf(a)).id, { outcome: 'approved' })).toMatchObject(
        { statusCode: 303 },
      )
      t.clock.set('2027-03-31T12:00:00Z')
      agent = new TestAgent(t.app)
      await agent.signIn('vs.consultant@example.org', DEMO_PASSWORD)
      const refused = await decideOn(agent, (await requestOf(b)).id, { outcome: 'approved' })
      expect(refused.statusCode).toBe(400)
      expect(refused.body).toContain('past their allocation of £2,630.00')
      const years = await db
        .selectFrom('funding_decision')
        .select(['financial_year', 'decided_on'])
        .where('request_id', '=', (await requestOf(a)).id)
        .execute()
      expect(years).toEqual([{ financial_year: 2027, decided_on: '2027-04-01' }])
    } finally {
      pepId = saved
      t.clock.set('2026-11-23T10:00:00Z')
    }
  })
})

describe('who may see and do what', () => {
  it('gives everyone without the right to it "Page not found", and audits the refusal', async () => {
    const row = await requestOf(target.maths)
    const urls = [
      `/children/${childId}/funding`,
      `/children/${childId}/funding/requests/${row.id}`,
      `/children/${childId}/peps/${pepId}/funding`,
    ]
    for (const email of [
      'carer@example.org',
      'young.person@example.org',
      'personal.advisor@example.org',
      'eastmere.admin@example.org',
    ]) {
      const agent = await world.agent(email)
      for (const url of urls) {
        const page = await agent.get(url)
        expect(page.statusCode, `${email} ${url}`).toBe(404)
        expect(page.body).not.toContain('Reach age-related expectations')
      }
    }
    // The school and the social worker read it but cannot decide.
    for (const email of [
      'designated.teacher@example.org',
      'social.worker@example.org',
      'iro@example.org',
    ]) {
      const agent = await world.agent(email)
      expect((await agent.get(urls[1]!)).statusCode).toBe(200)
      const refused = await agent.post(`${urls[1]}/decision`, { version: '1', outcome: 'approved' })
      expect(refused.statusCode, email).toBe(404)
    }
    const iro = await world.agent('iro@example.org')
    expect(
      (await iro.get(`/children/${childId}/peps/${pepId}/funding/targets/${target.reading}`))
        .statusCode,
    ).toBe(404)
    const denied = await t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'access.denied')
      .execute()
    expect(denied.some((d) => (d.details as { action?: string }).action === 'funding.decide')).toBe(
      true,
    )
  })

  it('shows the Pupil Premium tab to those who may see it, and audits each view', async () => {
    const record = await (await dt()).get(`/children/${childId}`)
    expect(record.body).toContain(`href="/children/${childId}/funding"`)
    const carer = await (await world.agent('carer@example.org')).get(`/children/${childId}`)
    expect(carer.body).not.toContain(`/children/${childId}/funding`)
    expect((await auditOf('funding.child.view')).length).toBeGreaterThan(0)
    expect((await auditOf('funding.request.view')).length).toBeGreaterThan(0)
  })
})
