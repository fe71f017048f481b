import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fundingWorld, type FundingWorld } from '../../testing/funding-world.ts'

/*
 * The annual report's "Paid to schools and settings" counts what the finance team paid: the lines
 * of runs marked paid, on their paid day. An approved amount waiting for a run, a run still open
 * and a discarded run add nothing (they did before: every line made counted as paid).
 */

let w: FundingWorld
const admin = () => w.agent('vs.admin@example.org')
const consultant = () => w.agent('vs.consultant@example.org')
const head = () => w.agent('vs.head@example.org')

function paidCells(html: string): { pence: string; children: string } {
  const figure = (name: string) => {
    const start = html.indexOf(`>${name}</th>`)
    if (start < 0) throw new Error(`No row for ${name}`)
    const row = html.slice(start, html.indexOf('</tr>', start))
    return [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!).at(-1)!
  }
  return {
    pence: figure('Paid to schools and settings'),
    children: figure('Children it was paid for'),
  }
}

async function report() {
  const response = await (await head()).get('/oversight/annual-report')
  expect(response.statusCode).toBe(200)
  return paidCells(response.body)
}

const period = {
  'from-day': '1',
  'from-month': '11',
  'from-year': '2026',
  'to-day': '30',
  'to-month': '11',
  'to-year': '2026',
}

async function makeRun(): Promise<string> {
  await (await admin()).get('/funding/payment-runs')
  const made = await (await admin()).post('/funding/payment-runs', period)
  expect(made.statusCode).toBe(303)
  return made.headers.location!.split('?')[0]!
}

beforeAll(async () => {
  w = await fundingWorld()
  await w.setBudget(2026, 263_000)
})
afterAll(() => w.close())

describe('PP+ paid in the annual report', () => {
  it('counts a run only once it is marked paid, and never a discarded one', async () => {
    const before = await report()
    const child = await w.childWithTargets('HFD-PAID-1', ['Maths'])
    const requestId = await w.request(child.childId, child.pepId, child.targetIds[0]!, '400.01')
    expect(
      await w.decide(await consultant(), child.childId, requestId, { outcome: 'approved' }),
    ).toBe(303)
    // Approved, waiting for a run: not paid.
    expect(await report()).toEqual(before)

    // In a run that is then discarded: not paid.
    const discarded = await makeRun()
    expect(await report()).toEqual(before)
    const discard = await (await admin()).get(`${discarded}/discard`)
    expect(discard.statusCode).toBe(200)
    expect((await (await admin()).post(`${discarded}/discard`, { reason: '' })).statusCode).toBe(
      303,
    )
    expect(await report()).toEqual(before)

    // In the next run, still open: not paid; marked paid on 23 November 2026 (today): paid this year.
    const run = await makeRun()
    expect(await report()).toEqual(before)
    await (await admin()).get(run)
    const paid = await (
      await admin()
    ).post(`${run}/paid`, {
      'paidOn-day': '23',
      'paidOn-month': '11',
      'paidOn-year': '2026',
      reference: 'FIN-REPORT-1',
    })
    expect(paid.statusCode).toBe(303)
    const after = await report()
    const pounds = (text: string) => Number(text.replace(/[£,]/g, ''))
    expect(pounds(after.pence) - pounds(before.pence)).toBeCloseTo(400.01, 2)
    expect(Number(after.children) - Number(before.children)).toBe(1)
  })
})
