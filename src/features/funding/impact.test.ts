import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fundingWorld, type FundingWorld } from '../../testing/funding-world.ts'

/*
 * Impact (issue 18) through HTTP: at the next PEP, each target funded at an earlier one records
 * how it turned out and what difference the funding made; the Virtual School's report of spend
 * by category, school and year group against those outcomes, on the page and as CSV.
 */

let w: FundingWorld
let child: { childId: string; pepId: string; targetIds: string[] }
let nextPepId: string
const requests: string[] = []
const dt = () => w.agent('designated.teacher@example.org')
const consultant = () => w.agent('vs.consultant@example.org')

beforeAll(async () => {
  w = await fundingWorld()
  await w.setBudget(2026, 263_000)
  child = await w.childWithTargets('HFD-IMP-1', ['Maths', 'Reading', 'Trip'])
  for (const [i, [amount, category]] of [
    ['300', 'Tuition'],
    ['120', 'Resources'],
    ['80', 'Trips and enrichment'],
  ].entries())
    requests.push(
      await w.request(child.childId, child.pepId, child.targetIds[i]!, amount!, category),
    )
  expect(
    await w.decide(await consultant(), child.childId, requests[0]!, { outcome: 'approved' }),
  ).toBe(303)
  expect(
    await w.decide(await consultant(), child.childId, requests[1]!, {
      outcome: 'part_approved',
      amount: '100',
      reason: 'Fewer books',
    }),
  ).toBe(303)
  expect(
    await w.decide(await consultant(), child.childId, requests[2]!, {
      outcome: 'declined',
      reason: 'No',
    }),
  ).toBe(303)
  nextPepId = await w.startPep(child.childId, { term: '2027-spring' })
})
afterAll(() => w.close())

describe('the impact of funding, at the next PEP', () => {
  it('lists the targets funded at earlier PEPs, linked from the next PEP, not the declined one', async () => {
    const contents = await (await dt()).get(`/children/${child.childId}/peps/${nextPepId}`)
    expect(contents.body).toContain(`/children/${child.childId}/peps/${nextPepId}/funding-impact`)
    const page = await (
      await dt()
    ).get(`/children/${child.childId}/peps/${nextPepId}/funding-impact`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Maths')
    expect(page.body).toContain('Reading')
    expect(page.body).not.toContain('>Trip<')
    const same = await (
      await dt()
    ).get(`/children/${child.childId}/peps/${child.pepId}/funding-impact`)
    expect(same.body).toContain('No targets were funded at an earlier PEP')
  })

  it('records the outcome and the difference, refusing a form without them', async () => {
    const url = `/children/${child.childId}/peps/${nextPepId}/funding-impact/${requests[0]}`
    await (await dt()).get(url)
    const refused = await (await dt()).post(url, { outcome: 'brilliant', difference: '' })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('<a href="#outcome">Select how far the target was achieved</a>')
    expect(refused.body).toContain(
      '<a href="#difference">Enter what difference the funding made</a>',
    )
    const saved = await (
      await dt()
    ).post(url, {
      outcome: 'achieved',
      difference: 'Now secure in fractions 🎉',
      version: '0',
    })
    expect(saved.statusCode).toBe(303)
    const page = await (
      await dt()
    ).get(`/children/${child.childId}/peps/${nextPepId}/funding-impact`)
    expect(page.body).toContain('Achieved: Now secure in fractions 🎉')
    const declined = await (
      await dt()
    ).get(`/children/${child.childId}/peps/${nextPepId}/funding-impact/${requests[2]}`)
    expect(declined.statusCode).toBe(404)
    const event = await w.t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'funding.impact.record')
      .executeTakeFirstOrThrow()
    expect(event.details).toMatchObject({ requestId: requests[0], outcome: 'achieved' })
  })

  it('is corrected without losing the earlier record, and a stale form is refused, what was typed kept', async () => {
    const url = `/children/${child.childId}/peps/${nextPepId}/funding-impact/${requests[0]}`
    const opened = await (await dt()).get(url)
    expect(opened.body).toContain('name="version" value="1"')
    const corrected = await (
      await dt()
    ).post(url, { outcome: 'partly_achieved', difference: 'Fractions mostly secure', version: '1' })
    expect(corrected.statusCode).toBe(303)
    const stale = await (
      await dt()
    ).post(url, { outcome: 'not_achieved', difference: 'Typed in an old window', version: '1' })
    expect(stale.statusCode).toBe(400)
    expect(stale.body).toContain('Someone else recorded the impact since you opened this page')
    expect(stale.body).toContain('Typed in an old window')
    expect(stale.body).toContain('name="version" value="2"')
    const page = await (await dt()).get(url)
    expect(page.body).toContain('Earlier records')
    expect(page.body).toContain('Achieved: Now secure in fractions 🎉')
    const db = w.t.database.db
    const current = await db
      .selectFrom('funding_impact')
      .select(['outcome', 'difference', 'version'])
      .where('request_id', '=', requests[0]!)
      .executeTakeFirstOrThrow()
    expect(current).toEqual({
      outcome: 'partly_achieved',
      difference: 'Fractions mostly secure',
      version: 2,
    })
    const revisions = await db
      .selectFrom('funding_impact_revision')
      .select(['version', 'difference'])
      .where('request_id', '=', requests[0]!)
      .orderBy('version')
      .execute()
    expect(revisions).toEqual([
      { version: 1, difference: 'Now secure in fractions 🎉' },
      { version: 2, difference: 'Fractions mostly secure' },
    ])
  })

  it('is refused to those who do not write the PEP', async () => {
    const url = `/children/${child.childId}/peps/${nextPepId}/funding-impact`
    for (const email of ['carer@example.org', 'iro@example.org', 'personal.advisor@example.org'])
      expect((await (await w.agent(email)).get(url)).statusCode, email).toBe(404)
  })
})

describe('the spend and impact report', () => {
  it('adds up funded targets by category, school and year group against their outcomes', async () => {
    const page = await (await consultant()).get('/funding/report?year=2026-27')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Spend and impact 2026-27')
    expect(page.body).toContain('By category')
    expect(page.body).toContain('Tuition')
    expect(page.body).toContain('Kingsmead')
    expect(page.body).not.toContain('Trips and enrichment')
    const csv = await (await consultant()).get('/funding/report?year=2026-27&format=csv')
    expect(csv.statusCode).toBe(200)
    const rows: string[][] = parse(csv.body.replace(/^\uFEFF/, ''), { relaxColumnCount: true })
    const table = rows.slice(rows.findIndex((r) => r[0] === 'By') + 1)
    expect(table.find((r) => r[0] === 'Category' && r[1] === 'Tuition')).toEqual([
      'Category',
      'Tuition',
      '1',
      '30000',
      '0',
      // Achieved, then corrected to partly achieved (the test above): the report reads the current record.
      '0',
      '1',
      '0',
      '0',
      '0',
    ])
    expect(table.find((r) => r[0] === 'Category' && r[1] === 'Resources')).toEqual([
      'Category',
      'Resources',
      '1',
      '10000',
      '0',
      '0',
      '0',
      '0',
      '0',
      '1',
    ])
    const school = table.find((r) => r[0] === 'School')!
    expect(school.slice(2, 5)).toEqual(['2', '40000', '0'])
    expect(table.filter((r) => r[0] === 'Year group')).toHaveLength(1)
    expect(
      (await (await w.agent('social.worker@example.org')).get('/funding/report')).statusCode,
    ).toBe(403)
  })
})
