import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { londonDate } from '../../domain/calendar-date.ts'
import type { PersonActor } from '../../shared/actor.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import { TEST_NOW } from '../../testing/app.ts'
import { fundingWorld, type FundingWorld } from '../../testing/funding-world.ts'
import { makeRun } from './payments.service.ts'

/*
 * Payment runs through HTTP (issue 18): a run takes every approved, unpaid amount decided in its
 * period, grouped by school with the child's case reference and never their name; it exports as
 * CSV and .xlsx that open in a spreadsheet; it is marked paid in one change and never changed
 * after; two runs made at once cannot both take an amount; a correction is a negative line with a
 * reason in the next run. Only Virtual School administrators reach any of it.
 */

let w: FundingWorld
const admin = () => w.agent('vs.admin@example.org')
const consultant = () => w.agent('vs.consultant@example.org')
let child: { childId: string; pepId: string; targetIds: string[] }
const requests: string[] = []

const period = (from: string, to: string) => {
  const [fy, fm, fd] = from.split('-')
  const [ty, tm, td] = to.split('-')
  return {
    'from-day': fd!,
    'from-month': fm!,
    'from-year': fy!,
    'to-day': td!,
    'to-month': tm!,
    'to-year': ty!,
  }
}

async function makeRunByHttp(from: string, to: string) {
  await (await admin()).get('/funding/payment-runs')
  return (await admin()).post('/funding/payment-runs', period(from, to))
}

beforeAll(async () => {
  w = await fundingWorld()
  await w.setBudget(2026, 263_000)
  child = await w.childWithTargets('HFD-PAY-1', ['Maths', 'Reading', 'Trip'])
  for (const [i, amount] of ['500', '250.25', '100'].entries())
    requests.push(await w.request(child.childId, child.pepId, child.targetIds[i]!, amount))
  expect(
    await w.decide(await consultant(), child.childId, requests[0]!, { outcome: 'approved' }),
  ).toBe(303)
  expect(
    await w.decide(await consultant(), child.childId, requests[1]!, {
      outcome: 'part_approved',
      amount: '200',
      reason: 'Less',
    }),
  ).toBe(303)
  expect(
    await w.decide(await consultant(), child.childId, requests[2]!, {
      outcome: 'declined',
      reason: 'No',
    }),
  ).toBe(303)
})
afterAll(() => w.close())

describe('a payment run', () => {
  it('refuses a period with nothing to pay, and a period that ends before it starts', async () => {
    const empty = await makeRunByHttp('2026-01-01', '2026-01-31')
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('There is nothing to pay for decisions in this period')
    const backwards = await makeRunByHttp('2026-11-30', '2026-11-01')
    expect(backwards.statusCode).toBe(400)
    expect(backwards.body).toContain('The last day of the period must be on or after the first')
    expect(await w.t.database.db.selectFrom('payment_run').selectAll().execute()).toEqual([])
  })

  it('takes every approved, unpaid amount, by school, and exports it without the child’s name', async () => {
    const made = await makeRunByHttp('2026-11-01', '2026-11-30')
    expect(made.statusCode).toBe(303)
    const runUrl = made.headers.location!
    const page = await (await admin()).get(runUrl)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Kingsmead')
    expect(page.body).toContain('990002')
    expect(page.body).toContain('£700.00')

    const csv = await (await admin()).get(runUrl.replace('?', '/export?') + '&format=csv')
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.body).not.toContain('Sky')
    const rows: string[][] = parse(csv.body.replace(/^\uFEFF/, ''), { relaxColumnCount: true })
    const header = rows.findIndex((r) => r[0] === 'School')
    const lines = rows.slice(header + 1)
    // The child's two lines (requested at the same instant of the test clock), then the total.
    const childLines = lines.slice(0, 2).map((r) => [r[3], r[8], r[9]])
    expect(childLines.sort((a, b) => Number(b[1]) - Number(a[1]))).toEqual([
      ['HFD-PAY-1', '50000', '500.00'],
      ['HFD-PAY-1', '20000', '200.00'],
    ])
    expect(lines.slice(2).map((r) => [r[3], r[8], r[9]])).toEqual([
      ['School total', '70000', '700.00'],
    ])
    expect(lines[0]![0]).toContain('Kingsmead')

    const xlsx = await (await admin()).get(runUrl.replace('?', '/export?') + '&format=xlsx')
    expect(xlsx.statusCode).toBe(200)
    const { default: ExcelJS } = await import('exceljs')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    const values: unknown[] = []
    sheet.eachRow((row) => values.push(row.getCell(9).value))
    const [first, second, total] = values.slice(-3) as number[]
    expect([first, second].sort((a, b) => b! - a!)).toEqual([50_000, 20_000])
    expect(total).toBe(70_000)

    const again = await makeRunByHttp('2026-11-01', '2026-11-30')
    expect(again.statusCode).toBe(400)
  })

  it('is marked paid with a date and reference, once, and then never changes', async () => {
    const run = await w.t.database.db
      .selectFrom('payment_run')
      .select('id')
      .executeTakeFirstOrThrow()
    const url = `/funding/payment-runs/${run.id}`
    await (await admin()).get(url)
    const refused = await (
      await admin()
    ).post(`${url}/paid`, {
      'paidOn-day': '31',
      'paidOn-month': '2',
      'paidOn-year': '2027',
      reference: '',
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('The date it was paid must be a real date')
    expect(refused.body).toContain('Enter the finance team’s reference')
    // The run was made on 23 November; it is now 30 November at 23:30 (the injected clock), and
    // the administrator signs in again. Tomorrow is refused, and so is the day before the run was
    // made, each naming the field with what was typed kept; today is accepted.
    w.t.clock.set('2026-11-30T23:30:00Z')
    let paid: Awaited<ReturnType<TestAgent['post']>> | undefined
    try {
      const late = new TestAgent(w.t.app)
      await late.signIn('vs.admin@example.org', DEMO_PASSWORD)
      await late.get(url)
      const payOn = (day: string, month: string) =>
        late.post(`${url}/paid`, {
          'paidOn-day': day,
          'paidOn-month': month,
          'paidOn-year': '2026',
          reference: 'FIN-2026-117',
        })
      for (const [day, month, message] of [
        ['1', '12', 'The date it was paid must be today or in the past'],
        [
          '22',
          '11',
          'The date it was paid must be on or after 23 November 2026, the day the run was made',
        ],
      ] as const) {
        const refusedDate = await payOn(day, month)
        expect(refusedDate.statusCode).toBe(400)
        expect(refusedDate.body).toContain('govuk-error-summary')
        expect(refusedDate.body).toContain(`<a href="#paidOn-day">${message}</a>`)
        expect(refusedDate.body).toMatch(new RegExp(`name="paidOn-day"[^>]*value="${day}"`))
        expect(refusedDate.body).toMatch(/name="reference"[^>]*value="FIN-2026-117"/)
      }
      expect(
        (
          await w.t.database.db
            .selectFrom('payment_run')
            .select('status')
            .where('id', '=', run.id)
            .executeTakeFirstOrThrow()
        ).status,
      ).toBe('open')
      paid = await payOn('30', '11')
    } finally {
      w.t.clock.set(TEST_NOW)
    }
    expect(paid?.statusCode).toBe(303)
    const twice = await (
      await admin()
    ).post(`${url}/paid`, {
      'paidOn-day': '1',
      'paidOn-month': '12',
      'paidOn-year': '2026',
      reference: 'FIN-AGAIN',
    })
    expect(twice.statusCode).toBe(400)
    expect(twice.body).toContain('This run has already been marked paid')
    await expect(
      w.t.database.db
        .updateTable('payment_run')
        .set({ paid_reference: 'X' })
        .where('id', '=', run.id)
        .execute(),
    ).rejects.toThrow(/never changed/)
    await expect(
      w.t.database.db.deleteFrom('payment_line').where('run_id', '=', run.id).execute(),
    ).rejects.toThrow(/never changed/)
    const tab = await (
      await w.agent('designated.teacher@example.org')
    ).get(`/children/${child.childId}/funding`)
    expect(tab.body).toContain('£700.00')
    const events = await w.t.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'in', ['funding.run.create', 'funding.run.paid', 'funding.run.export'])
      .execute()
    expect(events.map((e) => e.action).sort()).toEqual([
      'funding.run.create',
      'funding.run.export',
      'funding.run.export',
      'funding.run.paid',
    ])
  })

  it('pays the difference when a decision is raised, and takes back with a correction', async () => {
    // Raised from £200 to the £250.25 requested: the next run pays £50.25.
    expect(
      await w.decide(await consultant(), child.childId, requests[1]!, { outcome: 'approved' }),
    ).toBe(303)
    const url = `/children/${child.childId}/funding/requests/${requests[0]}`
    const page = await (await admin()).get(url)
    expect(page.body).toContain('Record a correction')
    for (const [amount, reason, message] of [
      ['500.01', 'Too much', 'The correction must be no more than the £500.00 paid'],
      ['£1,000.005', 'r', 'The amount to take back must be in pounds and pence'],
      ['50', '', 'Enter the reason for the correction'],
    ] as const) {
      const refused = await (await admin()).post(`${url}/correction`, { amount, reason })
      expect(refused.statusCode).toBe(400)
      expect(refused.body).toContain(message)
    }
    const corrected = await (
      await admin()
    ).post(`${url}/correction`, {
      amount: '100',
      reason: 'Two sessions cancelled',
    })
    expect(corrected.statusCode).toBe(303)
    expect(
      (await (await consultant()).post(`${url}/correction`, { amount: '1', reason: 'x' }))
        .statusCode,
    ).toBe(404)
    const made = await makeRunByHttp('2026-11-01', '2026-11-30')
    expect(made.statusCode).toBe(303)
    const csv = await (
      await admin()
    ).get(made.headers.location!.replace('?', '/export?') + '&format=csv')
    const rows: string[][] = parse(csv.body.replace(/^\uFEFF/, ''), { relaxColumnCount: true })
    const lines = rows.slice(rows.findIndex((r) => r[0] === 'School') + 1)
    expect(lines.map((r) => [r[7], r[8]])).toEqual([
      ['Correction: Two sessions cancelled', '-10000'],
      ['Payment', '5025'],
      ['', '-4975'],
    ])
  })

  it('lets two runs made at once take each amount once', async () => {
    const other = await w.childWithTargets('HFD-PAY-2', ['A', 'B'])
    for (const target of other.targetIds) {
      const id = await w.request(other.childId, other.pepId, target, '10')
      expect(await w.decide(await consultant(), other.childId, id, { outcome: 'approved' })).toBe(
        303,
      )
    }
    const actor: PersonActor = {
      userId: w.ids['vs.admin@example.org']!,
      role: 'vs_admin',
      now: w.t.clock.now(),
      today: londonDate(w.t.clock.now()),
    }
    const results = await Promise.all([
      makeRun(w.t.database.db, actor, w.authorityId, { from: '2026-11-01', to: '2026-11-30' }),
      makeRun(w.t.database.db, actor, w.authorityId, { from: '2026-11-01', to: '2026-11-30' }),
    ])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual([
      'funding.run-empty',
    ])
    const taken = await w.t.database.db
      .selectFrom('payment_line')
      .innerJoin('funding_request', 'funding_request.id', 'payment_line.request_id')
      .select(['payment_line.decision_id'])
      .where('funding_request.child_id', '=', other.childId)
      .execute()
    expect(taken).toHaveLength(2)
    expect(new Set(taken.map((t) => t.decision_id)).size).toBe(2)
  })

  it('is open only to Virtual School administrators', async () => {
    for (const email of [
      'vs.head@example.org',
      'vs.consultant@example.org',
      'social.worker@example.org',
      'auditor@example.org',
    ]) {
      const response = await (await w.agent(email)).get('/funding/payment-runs')
      expect(response.statusCode, email).toBe(403)
    }
    const run = await w.t.database.db
      .selectFrom('payment_run')
      .select('id')
      .executeTakeFirstOrThrow()
    const other = await (
      await w.agent('eastmere.admin@example.org')
    ).get(`/funding/payment-runs/${run.id}/export?format=csv`)
    expect(other.statusCode).toBe(404)
    expect(other.body).not.toContain('HFD-PAY-1')
  })
})
