import { sql } from 'kysely'
import { loadavg } from 'node:os'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { asPrepared, executePrepared } from '../src/db/prepared.ts'
import { seedDemo } from '../src/db/seed.ts'
import { myTrayCountQuery } from '../src/features/trays/trays.repository.ts'
import { wholeAuthorities } from '../src/shared/child-access.ts'
import { TEST_NOW } from '../src/testing/app.ts'

/*
 * `npm run bench:tray-count`: the header's tray count (every page asks it) three ways: as the app
 * runs it (planned afresh each time), as a prepared statement with PostgreSQL's own choice of
 * plan, and as a prepared statement with its generic plan forced (src/db/prepared.ts); on the
 * demo in an in-memory PGlite, or on the server in MEASURE_DATABASE_URL (a scratch database: it
 * migrates and seeds it). Alternately, three rounds of 300 calls each way, for a social worker
 * and a Virtual School administrator: the time per call (on PGlite the database runs in this
 * process, so CPU time is the database's too), how many generic and custom plans the prepared
 * statement had, then EXPLAIN (ANALYZE, BUFFERS) as the app runs it and with the generic plan
 * (`FULL_PLANS=1` for the whole plans).
 */

const url = process.env.MEASURE_DATABASE_URL
const database = await openDatabase(url ? { url } : { memory: true })
const db = database.db
await migrateToLatest(db)
await seedDemo(db, new Date(TEST_NOW))

const people = await db
  .selectFrom('app_user as u')
  .innerJoin('membership as m', 'm.user_id', 'u.id')
  .select(['u.id', 'u.email', 'm.role', 'm.authority_id as authorityId'])
  .where('u.email', 'in', ['social.worker@example.org', 'vs.admin@example.org'])
  .execute()
const users = [...new Set(people.map((p) => p.id))].map((id) => {
  const rows = people.filter((p) => p.id === id)
  return {
    id,
    email: rows[0]!.email,
    whole: wholeAuthorities({
      memberships: rows.map((r) => ({ role: r.role, authorityId: r.authorityId })),
    } as never),
  }
})

const query = (user: (typeof users)[number]) => myTrayCountQuery(db, user.id, user.whole)

const CALLS = 300
async function time(run: () => Promise<unknown>) {
  const cpu = process.cpuUsage()
  const started = performance.now()
  for (let i = 0; i < CALLS; i++) await run()
  const used = process.cpuUsage(cpu)
  return {
    wallMs: (performance.now() - started) / CALLS,
    cpuMs: (used.user + used.system) / 1000 / CALLS,
  }
}

for (const user of users) {
  const prepared = (generic: boolean) => () => executePrepared(db, query(user), { generic })
  // Warm each way first (the prepared one past its five custom plans).
  for (let i = 0; i < 10; i++) {
    await query(user).execute()
    await prepared(false)()
    await prepared(true)()
  }
  const counts = [
    (await query(user).execute())[0]!.n,
    (await prepared(false)())[0]!.n,
    (await prepared(true)())[0]!.n,
  ].map(Number)
  if (new Set(counts).size !== 1) throw new Error(`the ways count differently: ${counts}`)
  for (let round = 1; round <= 3; round++) {
    const a = await time(() => query(user).execute())
    const b = await time(prepared(false))
    const c = await time(prepared(true))
    const ms = (x: { wallMs: number; cpuMs: number }) =>
      `${x.wallMs.toFixed(3)} ms wall, ${x.cpuMs.toFixed(3)} ms CPU`
    console.log(
      `${user.email} round ${round}, load ${loadavg()[0]!.toFixed(1)}, count ${counts[0]}, a call: ` +
        `planned each time ${ms(a)}; prepared ${ms(b)}; prepared, generic plan ${ms(c)}`,
    )
  }
  // EXPLAIN of the query as the app runs it, with its values bound, and of the prepared one
  // with its generic plan.
  const compiled = query(user).compile()
  const plainPlan = await db.executeQuery({
    ...compiled,
    sql: `explain (analyze, buffers) ${compiled.sql}`,
  })
  const statement = asPrepared(query(user))
  const preparedPlan = await db.connection().execute(async (connection) => {
    await statement.prepare.execute(connection).catch(() => undefined)
    await sql`set plan_cache_mode = force_generic_plan`.execute(connection)
    const plan = await sql`explain (analyze, buffers) ${statement.execute}`.execute(connection)
    await sql`reset plan_cache_mode`.execute(connection)
    const plans = await sql<{ generic_plans: number; custom_plans: number }>`
      select generic_plans, custom_plans from pg_prepared_statements`
      .execute(connection)
      .catch(() => ({ rows: [] }))
    console.log(
      `the prepared statements' plans so far (generic, custom), ${user.email}:`,
      plans.rows,
    )
    return plan
  })
  for (const [way, plan] of [
    ['planned each time', plainPlan],
    ['prepared, generic plan', preparedPlan],
  ] as const) {
    console.log(`${way}, ${user.email}:`)
    for (const row of plan.rows as { 'QUERY PLAN': string }[])
      if (
        process.env.FULL_PLANS ||
        /Planning|Execution|Buffers: shared|Seq Scan/.test(row['QUERY PLAN'])
      )
        console.log(`  ${row['QUERY PLAN'].trim()}`)
  }
}
await database.close()
