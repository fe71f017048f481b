/*
 * Measures the bulk start of a term's PEPs on a generated authority: `node
 * bench/bulk-start.ts [children]` (default 5,000) on an in-memory PGlite, or on the
 * server in MEASURE_DATABASE_URL (a scratch database: it adds an authority and its children).
 * Each child has last term's signed-off PEP with two pages to carry forward. For comparison it
 * also starts 200 PEPs one by one with `createPep`, the per-child service.
 */
import { randomUUID } from 'node:crypto'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { saveAuthoritySettings } from '../src/features/authority-settings/authority-settings.repository.ts'
import { childForPep, createPep } from '../src/features/peps/start.service.ts'
import { bulkStartTerm } from '../src/jobs/bulk-start.ts'

const count = Number(process.argv[2] ?? 5000)
const url = process.env.MEASURE_DATABASE_URL
const database = await openDatabase(url ? { url } : { memory: true })
await migrateToLatest(database.db)
const db = database.db
const at = new Date('2026-12-01T09:00:00Z')

const authority = await db
  .insertInto('authority')
  .values({ name: 'Measure', code: `M${randomUUID().slice(0, 6)}` })
  .returning('id')
  .executeTakeFirstOrThrow()
const school = await db
  .insertInto('school')
  .values({
    authority_id: authority.id,
    name: 'Measure School',
    type: 'academy',
    phase: 'secondary',
  })
  .returning('id')
  .executeTakeFirstOrThrow()
await saveAuthoritySettings(db, authority.id, { bulkStartNextTerm: true }, at)

const generated = performance.now()
for (let i = 0; i < count; i += 1000) {
  const n = Math.min(1000, count - i)
  const children = await db
    .insertInto('child')
    .values(
      Array.from({ length: n }, (_, j) => ({
        authority_id: authority.id,
        first_name: 'Gen',
        last_name: `Child ${i + j}`,
        date_of_birth: `${2008 + ((i + j) % 12)}-0${1 + ((i + j) % 9)}-15`,
        gender: 'female',
        case_reference: `M-${i + j}`,
        entered_care_on: '2020-01-01',
        school_id: school.id,
      })),
    )
    .returning('id')
    .execute()
  const peps = await db
    .insertInto('pep')
    .values(
      children.map((c) => ({
        child_id: c.id,
        authority_id: authority.id,
        academic_year: 2026,
        term: 'autumn' as const,
        form_type: 'secondary',
        template_version: 1,
        year_group: 'Y9',
        school_id: school.id,
        status: 'signed_off' as const,
        started_on: '2026-09-02',
        created_at: at,
        updated_at: at,
      })),
    )
    .returning('id')
    .execute()
  const pages = peps.flatMap((p) => [
    {
      pep_id: p.id,
      page_id: 'personal-information',
      answers: JSON.stringify({ 'preferred-name': 'Sam', 'first-language': 'English' }),
      version: 1,
      saved_at: at,
    },
    {
      pep_id: p.id,
      page_id: 'care-information',
      answers: JSON.stringify({ 'legal-status': 'section-31' }),
      version: 1,
      saved_at: at,
    },
  ])
  await db.insertInto('pep_page').values(pages).execute()
}
console.log(`generated ${count} children in ${Math.round(performance.now() - generated)} ms`)

const began = performance.now()
const result = await bulkStartTerm({ db, now: new Date('2027-01-01T00:30:00Z') })
const ms = performance.now() - began
console.log(
  `bulk start: ${result.started} PEPs in ${Math.round(ms)} ms (${(ms / Math.max(1, result.started)).toFixed(2)} ms a child; 84,000 children would take about ${Math.round((ms / Math.max(1, result.started)) * 84)} s)`,
)

// The per-child service, for comparison: the next term, for the first 200 children.
const sample = await db
  .selectFrom('child')
  .select('id')
  .where('authority_id', '=', authority.id)
  .limit(200)
  .execute()
const user = await db
  .insertInto('app_user')
  .values({ email: `measure-${randomUUID()}@example.org`, display_name: 'Measure' })
  .returning('id')
  .executeTakeFirstOrThrow()
const one = performance.now()
for (const { id } of sample) {
  await db.transaction().execute(async (trx) =>
    createPep(
      trx,
      { userId: user.id, role: 'social_worker', now: at, today: '2027-04-01' },
      {
        child: await childForPep(trx, id),
        term: { academicYear: 2026, name: 'summer' },
        meetingOn: null,
        changeOfSchool: false,
      },
    ),
  )
}
const perChild = (performance.now() - one) / sample.length
console.log(
  `createPep one by one: ${perChild.toFixed(2)} ms a child (84,000 children: about ${Math.round((perChild * 84_000) / 1000)} s)`,
)
await database.close()
