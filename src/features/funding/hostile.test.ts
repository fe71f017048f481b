import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fundingWorld, type FundingWorld } from '../../testing/funding-world.ts'

/*
 * Hostile values posted to every Pupil Premium Plus form (src/fuzz/*.test.ts do this for every
 * route; this keeps it quick for these): never a 500, and nothing saved from garbage.
 */

const NASTY = [
  '',
  ' ',
  '£1,000.005',
  '12e3',
  '-0.01',
  '💷💷',
  'NaN',
  '9'.repeat(400),
  '<script>alert(1)</script>',
  "'; drop table funding_request; --",
  '%00',
  '\u0000',
  '2026-27',
]
const FIELDS = [
  'amount',
  'purpose',
  'category',
  'expectedImpact',
  'version',
  'outcome',
  'reason',
  'overAllocationReason',
  'allocation',
  'devolved',
  'central',
  'grant',
  'categories',
  'decideBeforeSubmission',
  'from-day',
  'from-month',
  'from-year',
  'to-day',
  'to-month',
  'to-year',
  'paidOn-day',
  'paidOn-month',
  'paidOn-year',
  'reference',
  'difference',
]

let w: FundingWorld
beforeAll(async () => {
  w = await fundingWorld()
})
afterAll(() => w.close())

describe('hostile input to Pupil Premium Plus forms', () => {
  it('never gets a 500', async () => {
    const c = await w.childWithTargets('HFD-HOST-1', ['Maths'])
    const requestId = await w.request(c.childId, c.pepId, c.targetIds[0]!, '10')
    const posts = w.t.app.routeRules.filter(
      (r) => r.method === 'POST' && r.url.includes('/funding'),
    )
    expect(posts.length).toBeGreaterThanOrEqual(8)
    const failures: string[] = []
    let n = 0
    for (const email of [
      'vs.admin@example.org',
      'vs.head@example.org',
      'designated.teacher@example.org',
    ]) {
      const agent = await w.agent(email)
      for (const route of posts)
        for (let round = 0; round < 3; round++) {
          const url = route.url
            .replace(':childId', c.childId)
            .replace(':pepId', c.pepId)
            .replace(':targetId', c.targetIds[0]!)
            .replace(':requestId', requestId)
            .replace(':year', round === 0 ? '2026-27' : 'garbage')
            .replace(
              /:[A-Za-z]+/g,
              round === 1 ? '00000000-0000-4000-8000-000000000000' : 'not-an-id',
            )
          const form: Record<string, string | string[]> = {}
          for (const field of FIELDS) {
            const value = NASTY[(n++ * 7 + field.length) % NASTY.length]!
            form[field] = n % 11 === 0 ? [value, value] : value
          }
          await agent.get('/')
          const response = await agent.post(url, form)
          if (response.statusCode >= 500)
            failures.push(`${email} POST ${url}: ${response.statusCode}`)
        }
    }
    expect(failures).toEqual([])
    expect(await w.t.database.db.selectFrom('funding_decision').selectAll().execute()).toEqual([])
  }, 120_000)
})
