import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { bigChildCsv as bigFile } from '../../testing/child-csv.ts'

/* The import budget (quality.md): 10,000 children from a CSV file in at most 10 seconds. */

let t: TestContext
let admin: TestAgent

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  admin = new TestAgent(t.app)
  await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
})
afterAll(() => t.close())

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
