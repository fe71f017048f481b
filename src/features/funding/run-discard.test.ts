import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fundingWorld, type FundingWorld } from './funding-world.ts'

/*
 * Discarding a payment run not yet paid (issue 18), through HTTP: its amounts are unpaid again
 * and the next run takes them, its corrections wait again, the audit keeps what it held; a paid
 * run is never discarded (no page, and the database refuses it); only administrators reach it.
 */

let w: FundingWorld
const admin = () => w.agent('vs.admin@example.org')
const consultant = () => w.agent('vs.consultant@example.org')
let child: { childId: string; pepId: string; targetIds: string[] }

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
  return made.headers.location!
}

const discardUrl = (runUrl: string) => runUrl.replace('?', '/discard?')

beforeAll(async () => {
  w = await fundingWorld()
  await w.setBudget(2026, 263_000)
  child = await w.childWithTargets('HFD-DISCARD-1', ['Maths', 'Reading'])
  for (const [i, amount] of ['500', '120'].entries()) {
    const id = await w.request(child.childId, child.pepId, child.targetIds[i]!, amount)
    expect(await w.decide(await consultant(), child.childId, id, { outcome: 'approved' })).toBe(303)
  }
})
afterAll(() => w.close())

describe('discarding a payment run', () => {
  it('makes its amounts unpaid again, so the next run takes them, and audits what it held', async () => {
    const runUrl = await makeRun()
    const run = await (await admin()).get(runUrl)
    expect(run.body).toContain(`href="${discardUrl(runUrl).replace(/&/g, '&amp;')}"`)
    const confirm = await (await admin()).get(discardUrl(runUrl))
    expect(confirm.statusCode).toBe(200)
    expect(confirm.body).toContain('The run has 2 lines, £620.00 in all')
    const discarded = await (await admin()).post(discardUrl(runUrl))
    expect(discarded.statusCode).toBe(303)
    expect(discarded.headers.location).toMatch(/^\/funding\/payment-runs\?authority=/)
    const db = w.t.database.db
    expect(await db.selectFrom('payment_run').selectAll().execute()).toEqual([])
    expect(await db.selectFrom('payment_line').selectAll().execute()).toEqual([])
    expect((await (await admin()).get(runUrl)).statusCode).toBe(404)
    const audit = await db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'funding.run.discard')
      .executeTakeFirstOrThrow()
    expect(audit.details).toMatchObject({ lines: 2, totalPence: 62000 })
    // The next run takes the same amounts again.
    const again = await makeRun()
    expect((await (await admin()).get(again)).body).toContain('£620.00')
  })

  it('never discards a paid run: no page, and the database refuses it', async () => {
    const db = w.t.database.db
    const open = await db.selectFrom('payment_run').select('id').executeTakeFirstOrThrow()
    const runUrl = `/funding/payment-runs/${open.id}?authority=${w.authorityId}`
    await (await admin()).get(runUrl)
    const paid = await (
      await admin()
    ).post(runUrl.replace('?', '/paid?'), {
      'paidOn-day': '30',
      'paidOn-month': '11',
      'paidOn-year': '2026',
      reference: 'FIN-1',
    })
    expect(paid.statusCode).toBe(303)
    expect((await (await admin()).get(discardUrl(runUrl))).statusCode).toBe(404)
    expect((await (await admin()).post(discardUrl(runUrl))).statusCode).toBe(404)
    await expect(db.deleteFrom('payment_run').where('id', '=', open.id).execute()).rejects.toThrow(
      /never changed/,
    )
    expect(await db.selectFrom('payment_line').select('id').execute()).toHaveLength(2)
  })

  it('is for administrators only', async () => {
    const runUrl = await (async () => {
      const other = await w.childWithTargets('HFD-DISCARD-2', ['Art'])
      const id = await w.request(other.childId, other.pepId, other.targetIds[0]!, '10')
      expect(await w.decide(await consultant(), other.childId, id, { outcome: 'approved' })).toBe(
        303,
      )
      return makeRun()
    })()
    for (const email of ['vs.consultant@example.org', 'social.worker@example.org']) {
      const other = await w.agent(email)
      expect([403, 404], email).toContain((await other.get(discardUrl(runUrl))).statusCode)
      expect([403, 404], email).toContain((await other.post(discardUrl(runUrl))).statusCode)
    }
    expect(await w.t.database.db.selectFrom('payment_run').select('id').execute()).toHaveLength(2)
  })
})
