import { createTestApp } from '../src/testing/app.ts'
import { TestAgent } from '../src/testing/agent.ts'
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed.ts'
import { CHILD_CSV_COLUMNS } from '../src/domain/child-import.ts'
import { withCheckLetter } from '../src/domain/upn.ts'
import { paths } from '../src/paths.ts'

/*
 * `node bench/import.ts`: the CSV import of 10,000 children through the real upload form, on a
 * fresh embedded database with the demo seeded (as src/features/child-admin/child-import-scale.test.ts
 * does, which checks it is correct; this times it). Prints one line of JSON.
 */

function bigFile(count: number): Buffer {
  const lines = [CHILD_CSV_COLUMNS.join(',')]
  const urns = ['990001', '990002', '990003', '']
  for (let i = 0; i < count; i++) {
    const cells: Record<string, string> = {
      first_name: i % 7 === 0 ? 'Siôn' : `First${i}`,
      last_name: i % 5 === 0 ? '"Ó Briain, Jr"' : `Last${i}`,
      preferred_name: '',
      date_of_birth: `${2008 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}`,
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
  const file = bigFile(10_000)
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
