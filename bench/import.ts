import { createTestApp } from '../src/testing/app.ts'
import { TestAgent } from '../src/testing/agent.ts'
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed.ts'
import { bigChildCsv } from '../src/testing/child-csv.ts'
import { paths } from '../src/paths.ts'

/*
 * `node bench/import.ts`: the CSV import of 10,000 children through the real upload form, on a
 * fresh embedded database with the demo seeded (as src/features/child-admin/child-import-scale.test.ts
 * does, which checks it is correct; this times it). Prints one line of JSON.
 */

delete process.env['TEST_DATABASE_URL']
const t = await createTestApp()
try {
  await seedDemo(t.database.db, t.clock.now())
  const admin = new TestAgent(t.app)
  await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
  await admin.get(paths.childAdmin.import())
  const authority = await t.database.db
    .selectFrom('authority')
    .select('id')
    .where('code', '=', 'HFD')
    .executeTakeFirstOrThrow()
  const file = bigChildCsv(10_000)
  const started = performance.now()
  const response = await admin.postMultipart(
    paths.childAdmin.import(),
    { authority: authority.id },
    { field: 'file', filename: 'bulk.csv', contentType: 'text/csv', content: file },
  )
  const ms = performance.now() - started
  console.log(JSON.stringify({ status: response.statusCode, ms: Math.round(ms) }))
} finally {
  await t.close()
}
