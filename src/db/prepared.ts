import { createHash } from 'node:crypto'
import { sql, type Compilable, type DatabaseConnection, type RawBuilder } from 'kysely'
import type { Queryable } from './connection.ts'

/*
 * A statement run as a prepared statement on the server, so that its plan is made once per
 * connection and reused instead of planned again on every call: for the header's tray count,
 * which every page asks, the child found on every child route and the reads of the child's
 * record, which each cost more to plan than to run (`npm run bench:tray-count`,
 * `bench/page-statements.ts`, README's performance section). Given a transaction, it runs on
 * the transaction's connection.
 *
 * The query is built and compiled by Kysely as any other; its SQL, with $1... placeholders, is
 * given to PREPARE under a name made from its text (so another shape of the same query, such as
 * another number of authorities, is its own statement), then run by EXECUTE with the values. Each
 * connection prepares it on its first call (the names prepared are kept per connection, below),
 * so the server never answers "prepared statement does not exist" (26000) but when it lost one
 * behind the pool's back; then it is prepared again and run (outside a transaction: inside one,
 * the transaction fails, rolled back whole). PostgreSQL plans the first five runs
 * for their values, then keeps a generic plan if it costs no more: write into the query any
 * constant a partial index depends on (the tray count's `status = 'open'`), or the generic plan
 * cannot use that index, costs more, and every run is planned afresh as before. `generic`
 * forces the generic plan for that one statement (a setting sent before it and reset after,
 * two short round trips): for a statement whose plan is the same for any values but whose
 * generic estimate PostgreSQL judges dearer, such as the tray count's.
 *
 * EXECUTE takes its values as SQL literals, not bound parameters, so only values that cannot
 * carry SQL are accepted here (ids, codes, numbers); anything else throws.
 */

const SAFE_TEXT = /^[A-Za-z0-9_.:-]*$/

function literal(value: unknown): RawBuilder<unknown> {
  if (typeof value === 'number' && Number.isFinite(value)) return sql.lit(value)
  if (typeof value === 'string' && SAFE_TEXT.test(value)) return sql.lit(value)
  throw new Error('executePrepared takes only ids, codes and numbers as values')
}

function isMissingStatement(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '26000'
  )
}

/** A query as a named prepared statement: the PREPARE and EXECUTE statements to send. */
export function asPrepared<R>(query: Compilable<R>): {
  name: string
  prepare: RawBuilder<unknown>
  execute: RawBuilder<R>
} {
  const compiled = query.compile()
  const name = `openpep_${createHash('sha256').update(compiled.sql).digest('hex').slice(0, 24)}`
  const values = compiled.parameters.map(literal)
  return {
    name,
    prepare: sql.raw(`prepare ${name} as ${compiled.sql}`),
    execute: sql<R>`execute ${sql.raw(name)}${values.length > 0 ? sql`(${sql.join(values)})` : sql``}`,
  }
}

/*
 * The statements already prepared on each connection, so that a connection's first call sends
 * PREPARE before EXECUTE instead of trying EXECUTE, failing and logging "prepared statement does
 * not exist" on the server once per connection. Kept by the driver's connection object (the pg
 * driver keeps one per pooled client; PGlite's dialect makes one per use around the one PGlite,
 * which is what is kept then). Should the server have lost a statement all the same (a
 * connection reset behind the pool's back), EXECUTE still fails with 26000 and it is prepared
 * again, as before.
 */
const preparedOn = new WeakMap<object, Set<string>>()

function sessionOf(connection: DatabaseConnection): object {
  const embedded = (connection as { client?: unknown }).client
  return typeof embedded === 'object' && embedded !== null ? embedded : connection
}

/** Runs the query as a prepared statement on one connection of the pool; its rows. */
export async function executePrepared<R>(
  db: Queryable,
  query: Compilable<R>,
  options: { generic?: boolean } = {},
): Promise<R[]> {
  const statement = asPrepared(query)
  const run = (connection: DatabaseConnection, raw: RawBuilder<unknown>) =>
    connection.executeQuery(raw.compile(db))
  return db.getExecutor().provideConnection(async (connection) => {
    const session = sessionOf(connection)
    const prepared = preparedOn.get(session) ?? new Set<string>()
    preparedOn.set(session, prepared)
    if (options.generic) await run(connection, sql`set plan_cache_mode = force_generic_plan`)
    try {
      if (!prepared.has(statement.name)) {
        await run(connection, statement.prepare)
        prepared.add(statement.name)
      }
      try {
        return (await run(connection, statement.execute)).rows as R[]
      } catch (error) {
        // In a transaction the failed EXECUTE has aborted it, so preparing again could only fail
        // with "current transaction is aborted": the transaction fails with the real cause.
        if (!isMissingStatement(error) || db.isTransaction) throw error
        await run(connection, statement.prepare)
        return (await run(connection, statement.execute)).rows as R[]
      }
    } finally {
      if (options.generic) await run(connection, sql`reset plan_cache_mode`)
    }
  })
}
