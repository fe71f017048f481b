/*
 * Measures the oversight's cohort read and its figures on a generated authority of the largest
 * size (issue 17: about 3,000 children): `node bench/cohort.ts
 * [children]` on an in-memory PGlite, or on the scratch server in MEASURE_DATABASE_URL. Every
 * child has this term's PEP in one of the states, a third of them signed off with a rating.
 * Prints the median and 95th percentile of readTermCohort + termFigures (the dashboard's work)
 * and of the list's filter, sort and first page, over 20 runs each.
 */
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { termFigures } from '../src/domain/oversight.ts'
import {
  readTermCohort,
  ratingsByTerm,
  criteriaRatings,
  readCohort,
  readEducation,
  readCircumstancesOn,
} from '../src/features/oversight/cohort.query.ts'

const count = Number(process.argv[2] ?? 3000)
const url = process.env.MEASURE_DATABASE_URL
const database = await openDatabase(url ? { url } : { memory: true })
await migrateToLatest(database.db)
const db = database.db
const today = '2026-11-23'
const term = { academicYear: 2026, name: 'autumn' as const }

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
await sql`insert into child (authority_id, first_name, last_name, date_of_birth, gender,
    case_reference, entered_care_on, school_id)
  select ${authority.id}, 'Child' || n, 'Measure' || (n % 97), date '2008-09-01' + (n % 5000),
    'female', 'M-' || n, date '2020-01-01' + (n % 2000), ${school.id}
  from generate_series(1, ${count}) n`.execute(db)
await sql`insert into pep (child_id, authority_id, academic_year, term, form_type, template_version,
    year_group, status, started_on, target_on, signed_off_at, created_at, updated_at)
  select c.id, c.authority_id, 2026, 'autumn', 'secondary', 1, 'Y9',
    (array['in_progress','awaiting_bso_check','awaiting_qa','signed_off'])[1 + (row_number() over () % 4)],
    date '2026-09-10', date '2026-11-01' + (row_number() over () % 60)::int,
    case when row_number() over () % 4 = 3 then timestamptz '2026-11-20 10:00Z' end, now(), now()
  from child c where c.authority_id = ${authority.id} and (abs(hashtext(c.id::text)) % 10) <> 0`.execute(
  db,
)
await sql`insert into pep_page (pep_id, page_id, answers, version, saved_at)
  select p.id, 'quality-assurance', jsonb_build_object('qa-overall', 'good',
    'qa-young-person-participated', 'yes', 'qa-target-setting', 'good'), 1, now()
  from pep p where p.authority_id = ${authority.id} and p.status = 'signed_off'`.execute(db)

function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)]!
  return `median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms`
}

const dashboard: number[] = []
const list: number[] = []
let cohortSize = 0
for (let i = 0; i < 22; i++) {
  const started = performance.now()
  const cohort = await readTermCohort(db, authority.id, term, today)
  const figures = termFigures(cohort.rows, cohort.frame, cohort.asOf)
  await ratingsByTerm(db, authority.id, [term])
  await criteriaRatings(db, authority.id, term, cohort.asOf)
  const read = performance.now()
  const listed = await readTermCohort(
    db,
    authority.id,
    term,
    today,
    { overdue: 'any' },
    { sort: 'target', direction: 'ascending', page: { offset: 0, limit: 50 } },
  )
  const done = performance.now()
  cohortSize = figures.cohort
  if (i >= 2) {
    dashboard.push(read - started)
    list.push(done - read)
  }
  if (i === 0) console.log(`cohort ${figures.cohort}, overdue ${listed.total}`)
}
console.log(`${cohortSize} children: dashboard's reads and figures ${summary(dashboard)}`)
if (process.env.MEASURE_PARTS) {
  const parts: Record<string, number[]> = { cohort: [], figures: [], trend: [], criteria: [] }
  for (let i = 0; i < 10; i++) {
    let t = performance.now()
    const cohort = await readTermCohort(db, authority.id, term, today)
    parts.cohort!.push(performance.now() - t)
    t = performance.now()
    termFigures(cohort.rows, cohort.frame, cohort.asOf)
    parts.figures!.push(performance.now() - t)
    t = performance.now()
    await ratingsByTerm(db, authority.id, [term])
    parts.trend!.push(performance.now() - t)
    t = performance.now()
    await criteriaRatings(db, authority.id, term, cohort.asOf)
    parts.criteria!.push(performance.now() - t)
  }
  for (const [k, v] of Object.entries(parts)) console.log(`  ${k}: ${summary(v)}`)
  const q: Record<string, number[]> = { readCohort: [], readEducation: [], readCircumstancesOn: [] }
  for (let i = 0; i < 10; i++) {
    let t = performance.now()
    await readCohort(db, authority.id, term, today)
    q.readCohort!.push(performance.now() - t)
    t = performance.now()
    await readEducation(db, authority.id, term, today)
    q.readEducation!.push(performance.now() - t)
    t = performance.now()
    await readCircumstancesOn(db, authority.id, today)
    q.readCircumstancesOn!.push(performance.now() - t)
  }
  for (const [k, v] of Object.entries(q)) console.log(`  ${k}: ${summary(v)}`)
}
console.log(`${cohortSize} children: the overdue list (filter, sort, first page) ${summary(list)}`)
await database.close()
