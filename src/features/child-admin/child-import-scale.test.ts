import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD, seedDemo } from '../../db/seed.ts'
import { CHILD_CSV_COLUMNS } from '../../domain/child-import.ts'
import { withCheckLetter } from '../../domain/upn.ts'

/* The import budget (quality.md): 10,000 children from a CSV file in at most 10 seconds. */

let t: TestContext
let admin: TestAgent

beforeAll(async () => {
  t = await createTestApp()
  await seedDemo(t.database.db, t.clock.now())
  admin = new TestAgent(t.app)
  await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
})
afterAll(() => t.close())

function bigFile(count: number): Buffer {
  const lines = [CHILD_CSV_COLUMNS.join(',')]
  const urns = ['990001', '990002', '990003', '']
  for (let i = 0; i < count; i++) {
    const year = 2008 + (i % 15)
    const cells: Record<string, string> = {
      first_name: i % 7 === 0 ? 'Siôn 😀' : `First${i}`,
      last_name: i % 5 === 0 ? '"Ó Briain, Jr"' : `Last${i}`,
      preferred_name: '',
      date_of_birth: `${year}-0${1 + (i % 9)}-1${i % 10}`,
      gender: ['female', 'male', 'non_binary'][i % 3]!,
      upn: withCheckLetter(`9${String(i).padStart(11, '0')}`),
      uln: i % 2 === 0 ? String(1000000000 + i) : '',
      case_reference: `BULK-${i}`,
      entered_care_on: '2024-09-01',
      emergency_placement: i % 11 === 0 ? 'yes' : 'no',
      legal_status: 'Full care order (C2)',
      placement: 'Foster care',
      school_urn: urns[i % urns.length]!,
      sen_status: ['none', 'sen_support', 'ehc_plan'][i % 3]!,
      year_group: '',
      record_owner_email: i % 3 === 0 ? 'social.worker@example.org' : '',
    }
    lines.push(CHILD_CSV_COLUMNS.map((c) => cells[c]).join(','))
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`)
}

describe('importing 10,000 children', () => {
  it('imports them all in one go', async () => {
    const file = bigFile(10_000)
    await admin.get('/children/import')
    const authority = await t.database.db
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'HFD')
      .executeTakeFirstOrThrow()
    const started = performance.now()
    const response = await admin.postMultipart(
      '/children/import',
      { authority: authority.id },
      { field: 'file', filename: 'bulk.csv', contentType: 'text/csv', content: file },
    )
    const seconds = (performance.now() - started) / 1000
    console.log(`Imported 10,000 children (${file.length} bytes) in ${seconds.toFixed(2)} s`)
    expect(response.statusCode).toBe(303)
    const count = await t.database.db
      .selectFrom('child')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('case_reference', 'like', 'BULK-%')
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(10_000)
    const events = await t.database.db
      .selectFrom('child_event')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'created')
      .executeTakeFirstOrThrow()
    expect(Number(events.n)).toBeGreaterThanOrEqual(10_000)
  }, 120_000)
})
