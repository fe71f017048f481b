import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fundingWorld, type FundingWorld } from '../../testing/funding-world.ts'

/*
 * Discarding a payment run not yet paid (issue 18), through HTTP: the run is kept, read-only,
 * as discarded (who, when, why if given), listed as such; its amounts are unpaid again and the
 * next run takes them, its corrections wait for the next run, the audit keeps what it held; a
 * discarded run cannot be exported, paid or discarded again, and the database refuses any change
 * to it; a paid run is never discarded (no page, and the database refuses it); only
 * administrators reach it.
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
    expect(confirm.body).toContain('Why are you discarding it? (optional)')
    // A reason past its limit is refused on the field, with what was typed kept.
    const long = 'é'.repeat(501)
    const tooLong = await (await admin()).post(discardUrl(runUrl), { reason: long })
    expect(tooLong.statusCode).toBe(400)
    expect(tooLong.body).toContain('href="#reason"')
    expect(tooLong.body).toContain('The reason must be 500 characters or fewer')
    expect(tooLong.body).toContain(long)
    const discarded = await (await admin()).post(discardUrl(runUrl))
    expect(discarded.statusCode).toBe(303)
    expect(discarded.headers.location).toMatch(/^\/funding\/payment-runs\?authority=/)
    const db = w.t.database.db
    // The run is kept, discarded, with its lines marked discarded.
    const kept = await db
      .selectFrom('payment_run')
      .select(['status', 'discarded_by', 'discarded_at', 'discard_reason'])
      .executeTakeFirstOrThrow()
    expect(kept).toMatchObject({ status: 'discarded', discard_reason: null })
    expect(kept.discarded_at).toEqual(w.t.clock.now())
    expect(kept.discarded_by).not.toBeNull()
    const lines = await db.selectFrom('payment_line').select(['discarded', 'run_id']).execute()
    expect(lines).toHaveLength(2)
    expect(lines.every((l) => l.discarded)).toBe(true)
    // It reads as discarded, and cannot be exported, paid or discarded again.
    const page = await (await admin()).get(runUrl)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Discarded on 23 November 2026')
    expect(page.body).toContain('cannot be exported, paid or changed')
    expect(page.body).not.toContain('/export?')
    expect(page.body).not.toContain('Mark as paid')
    const list = await (await admin()).get(`/funding/payment-runs?authority=${w.authorityId}`)
    expect(list.body).toMatch(/Discarded on 23 November 2026 at [^<]+ by /)
    for (const format of ['csv', 'xlsx'])
      expect(
        (await (await admin()).get(`${runUrl.replace('?', '/export?')}&format=${format}`))
          .statusCode,
      ).toBe(404)
    const pay = await (
      await admin()
    ).post(runUrl.replace('?', '/paid?'), {
      'paidOn-day': '30',
      'paidOn-month': '11',
      'paidOn-year': '2026',
      reference: 'FIN-X',
    })
    expect(pay.statusCode).toBe(404)
    expect((await (await admin()).get(discardUrl(runUrl))).statusCode).toBe(404)
    expect((await (await admin()).post(discardUrl(runUrl))).statusCode).toBe(404)
    const runId = new URL(runUrl, 'http://x').pathname.split('/').at(-1)!
    await expect(
      db.updateTable('payment_run').set({ status: 'open' }).where('id', '=', runId).execute(),
    ).rejects.toThrow(/never changed/)
    await expect(
      db
        .updateTable('payment_line')
        .set({ discarded: false })
        .where('run_id', '=', runId)
        .execute(),
    ).rejects.toThrow(/never changed/)
    await expect(db.deleteFrom('payment_run').where('id', '=', runId).execute()).rejects.toThrow(
      /never changed/,
    )
    const audit = await db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'funding.run.discard')
      .executeTakeFirstOrThrow()
    expect(audit.details).toMatchObject({ lines: 2, totalPence: 62000 })
    // The next run takes the same amounts again.
    const again = await makeRun()
    expect((await (await admin()).get(again)).body).toContain('£620.00')
    expect(
      await db.selectFrom('payment_line').select('id').where('discarded', '=', false).execute(),
    ).toHaveLength(2)
  })

  it('never discards a paid run: no page, and the database refuses it', async () => {
    const db = w.t.database.db
    const open = await db
      .selectFrom('payment_run')
      .select('id')
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow()
    const runUrl = `/funding/payment-runs/${open.id}?authority=${w.authorityId}`
    await (await admin()).get(runUrl)
    const paid = await (
      await admin()
    ).post(runUrl.replace('?', '/paid?'), {
      'paidOn-day': '23',
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
    expect(
      await db.selectFrom('payment_line').select('id').where('run_id', '=', open.id).execute(),
    ).toHaveLength(2)
  })

  it('keeps a discarded run with its reason, and its corrections wait for the next run', async () => {
    const db = w.t.database.db
    const request = await db
      .selectFrom('funding_request')
      .select('id')
      .where('child_id', '=', child.childId)
      .where('amount_pence', '=', 50_000)
      .executeTakeFirstOrThrow()
    const corrected = await (
      await admin()
    ).post(`/children/${child.childId}/funding/requests/${request.id}/correction`, {
      amount: '75',
      reason: 'Three sessions missed 😕',
    })
    expect(corrected.statusCode).toBe(303)
    const runUrl = await makeRun()
    expect((await (await admin()).get(runUrl)).body).toContain('-£75.00')
    const reason = 'Made before the correction was checked <b>twice</b> 😕'
    expect((await (await admin()).post(discardUrl(runUrl), { reason })).statusCode).toBe(303)
    const list = await (await admin()).get(`/funding/payment-runs?authority=${w.authorityId}`)
    expect(list.body).toContain(
      'Made before the correction was checked &lt;b&gt;twice&lt;/b&gt; 😕',
    )
    const runId = new URL(runUrl, 'http://x').pathname.split('/').at(-1)!
    expect(
      await db
        .selectFrom('payment_run')
        .select('discard_reason')
        .where('id', '=', runId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ discard_reason: reason })
    // The discarded run keeps its correction line; a waiting copy joins the next run.
    const waiting = await db
      .selectFrom('payment_line')
      .select(['amount_pence', 'reason'])
      .where('kind', '=', 'correction')
      .where('run_id', 'is', null)
      .execute()
    expect(waiting).toEqual([{ amount_pence: -7500, reason: 'Three sessions missed 😕' }])
    const next = await makeRun()
    const csv = await (await admin()).get(`${next.replace('?', '/export?')}&format=csv`)
    expect(csv.statusCode).toBe(200)
    expect(csv.body).toContain('Correction: Three sessions missed 😕')
    expect(csv.body).toContain('-7500')
    expect(
      await db
        .selectFrom('payment_line')
        .select('id')
        .where('kind', '=', 'correction')
        .where('run_id', 'is', null)
        .execute(),
    ).toEqual([])
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
    const runId = new URL(runUrl, 'http://x').pathname.split('/').at(-1)!
    expect(
      await w.t.database.db
        .selectFrom('payment_run')
        .select('status')
        .where('id', '=', runId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'open' })
  })
})
