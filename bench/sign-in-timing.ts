import { sql } from 'kysely'
import { loadavg } from 'node:os'
import { hashPassword } from '../src/shared/passwords.ts'
import { TestAgent } from '../src/testing/agent.ts'
import { createTestApp } from '../src/testing/app.ts'

/*
 * `npm run bench:sign-in-timing`: whether an address has an account must not show in how long
 * sign-in takes, however large the audit trail grows (src/features/auth/sign-in-timing.test.ts
 * checks the statements each path sends; this measures the times). On a new in-memory PGlite
 * (or a new database on the server in TEST_DATABASE_URL), with 400,000 audit events like a real
 * trail's: the median of 50 failed sign-ins of addresses with an account against 50 without,
 * interleaved, each first in turn, so a busy moment falls on both alike. A round more than 10%
 * apart is measured again, up to three rounds: a real difference (the old scan of the trail made
 * an unknown address take 224 ms against 48 ms) misses every round. Prints one line of JSON a
 * round, and exits 1 when the last round is still more than 10% apart.
 */

const EVENTS = 400_000
const TRIES = 50

// As the tables' owner: the bulk load drops and rebuilds audit_event's indexes.
const t = await createTestApp({ databaseAs: 'owner' })
let failed: boolean | undefined
try {
  const db = t.database.db
  const passwordHash = await hashPassword('the-right-password-2026')
  await db
    .insertInto('app_user')
    .values(
      Array.from({ length: 3 * TRIES + 5 }, (_, i) => ({
        email: `timing.${i}@example.org`,
        display_name: `Timing ${i}`,
        password_hash: passwordHash,
      })),
    )
    .execute()
  // Page views, sign-ins, and failures of unknown addresses, loaded with the secondary indexes
  // dropped and then built again as the migrations made them.
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes
    where tablename = 'audit_event' and indexname <> 'audit_event_pkey'
  `.execute(db)
  for (const index of indexes.rows) await sql.raw(`drop index ${index.indexname}`).execute(db)
  await sql`
    insert into audit_event (occurred_at, action, outcome, subject_user_id, details)
    select now() - make_interval(secs => n),
           (array['child.view', 'home.view', 'sign-in.success', 'sign-in.failure'])[1 + n % 4],
           case when n % 4 = 3 then 'failure' else 'success' end,
           null,
           case when n % 4 = 3
             then jsonb_build_object('emailKey', md5(n::text) || md5((n * 7)::text))
             else '{}'::jsonb end
    from generate_series(1, ${EVENTS}) as n
  `.execute(db)
  for (const index of indexes.rows) await sql.raw(index.indexdef).execute(db)
  await sql`analyze audit_event`.execute(db)

  const agent = new TestAgent(t.app)
  await agent.get('/sign-in')
  const time = async (email: string) => {
    const started = performance.now()
    const response = await agent.post('/sign-in', { email, password: 'a-wrong-password' })
    const ms = performance.now() - started
    if (response.statusCode !== 400) throw new Error(`sign-in answered ${response.statusCode}`)
    return ms
  }
  // Warm both paths (argon2, the query plans, the template) before measuring.
  for (let i = 0; i < 5; i++) {
    await time(`timing.${3 * TRIES + i}@example.org`)
    await time(`warm.unknown.${i}@example.org`)
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b)
    const mid = sorted.length / 2
    return (sorted[Math.floor(mid - 0.5)]! + sorted[Math.ceil(mid - 0.5)]!) / 2
  }
  let addresses = 0
  let difference = Infinity
  for (let round = 1; round <= 3 && difference > 0.1; round++) {
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < TRIES; i++) {
      const n = addresses++
      const withAccount = () => time(`timing.${n}@example.org`).then((ms) => known.push(ms))
      const without = () => time(`nobody.${n}@example.org`).then((ms) => unknown.push(ms))
      if (i % 2) await without().then(withAccount)
      else await withAccount().then(without)
    }
    const [a, b] = [median(known), median(unknown)]
    difference = Math.abs(a - b) / Math.max(a, b)
    console.log(
      JSON.stringify({
        events: EVENTS,
        round,
        withAccountMs: Number(a.toFixed(1)),
        withoutMs: Number(b.toFixed(1)),
        apartPercent: Number((difference * 100).toFixed(1)),
        load: loadavg()[0]!.toFixed(1),
      }),
    )
  }
  failed = difference > 0.1
} finally {
  await t.close()
}
if (failed) {
  console.error('Sign-in with and without an account are more than 10% apart')
  process.exit(1)
}
