import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { hashPassword } from './passwords.ts'

/*
 * Whether an address has an account must not show in how long sign-in takes, however large the
 * audit trail grows. Failures of addresses without an account used to be counted from the audit
 * trail, reading every event: at 400,000 events an unknown address took 224 ms against 48 ms for
 * a known one. They are now counted in sign_in_failure, one row per address, like an account's.
 */

const EVENTS = 400_000
const TRIES = 50

let t: TestContext
beforeAll(async () => {
  // As the tables' owner: the bulk load drops and rebuilds audit_event's indexes, which on the
  // server the app's own role may not.
  t = await createTestApp({ databaseAs: 'owner' })
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
  // A large audit trail like a real one: page views, sign-ins, and failures of unknown addresses.
  // Loaded with the secondary indexes dropped and then built again as the migrations made them
  // (a bulk build is several times quicker than maintaining them row by row).
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
}, 120_000)
afterAll(() => t.close())

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length / 2
  return (sorted[Math.floor(mid - 0.5)]! + sorted[Math.ceil(mid - 0.5)]!) / 2
}

describe('sign-in timing', () => {
  it(`answers an address without an account as fast as one with (medians of ${TRIES} within 10%)`, async () => {
    const agent = new TestAgent(t.app)
    await agent.get('/sign-in')
    const time = async (email: string) => {
      const started = performance.now()
      const response = await agent.post('/sign-in', { email, password: 'a-wrong-password' })
      const ms = performance.now() - started
      expect(response.statusCode).toBe(400)
      return ms
    }
    // Warm both paths (argon2, the query plans, the template) before measuring.
    for (let i = 0; i < 5; i++) {
      await time(`timing.${3 * TRIES + i}@example.org`)
      await time(`warm.unknown.${i}@example.org`)
    }
    // Interleaved, each first in turn, so a busy moment on the machine falls on both alike; each
    // address is tried once. The machine is shared, so a round that misses is measured again (up
    // to three rounds): a real difference, like the old scan's, misses every round.
    let addresses = 0
    const round = async () => {
      const known: number[] = []
      const unknown: number[] = []
      for (let i = 0; i < TRIES; i++) {
        const n = addresses++
        const withAccount = () => time(`timing.${n}@example.org`).then((ms) => known.push(ms))
        const without = () => time(`nobody.${n}@example.org`).then((ms) => unknown.push(ms))
        if (i % 2) await without().then(withAccount)
        else await withAccount().then(without)
      }
      return [median(known), median(unknown)] as const
    }
    let difference = Infinity
    for (let r = 1; r <= 3 && difference > 0.1; r++) {
      const [a, b] = await round()
      difference = Math.abs(a - b) / Math.max(a, b)
      console.log(
        `sign-in at ${EVENTS} audit events, round ${r}: median ${a.toFixed(1)} ms with an account, ${b.toFixed(1)} ms without (${(difference * 100).toFixed(1)}% apart)`,
      )
    }
    expect(difference).toBeLessThanOrEqual(0.1)
  })
})
