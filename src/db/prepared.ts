import { createHash } from 'node:crypto'
import { sql, type Compilable, type RawBuilder } from 'kysely'
import type { Database } from './connection.ts'

/*
 * A statement run as a prepared statement on the server, so that its plan is made once per
 * connection and reused instead of planned again on every call: for the header's tray count,
 * which every page asks and which cost several times more to plan than to run
 * (`npm run bench:tray-count`, README's performance section).
 *
 * The query is built and compiled by Kysely as any other; its SQL, with $1... placeholders, is
 * given to PREPARE under a name made from its text (so another shape of the same query, such as
 * another number of authorities, is its own statement), then run by EXECUTE with the values. A
 * connection that has not prepared it yet answers "prepared statement does not exist" (26000):
 * then it is prepared on that connection and run again. PostgreSQL plans the first five runs
 * for their values, then keeps a generic plan if it costs no more: write into the query any
 * constant a partial index depends on (the tray count's `status = 'open'`), or the generic plan
 * cannot use that index, costs more, and every run is planned afresh as before. `generic`
 * (for the bench's comparison) forces the generic plan for that one statement.
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
  prepare: RawBuilder<unknown>
  execute: RawBuilder<R>
} {
  const compiled = query.compile()
  const name = `openpep_${createHash('sha256').update(compiled.sql).digest('hex').slice(0, 24)}`
  const values = compiled.parameters.map(literal)
  return {
    prepare: sql.raw(`prepare ${name} as ${compiled.sql}`),
    execute: sql<R>`execute ${sql.raw(name)}${values.length > 0 ? sql`(${sql.join(values)})` : sql``}`,
  }
}

/** Runs the query as a prepared statement on one connection of the pool; its rows. */
export async function executePrepared<R>(
  db: Database,
  query: Compilable<R>,
  options: { generic?: boolean } = {},
): Promise<R[]> {
  const statement = asPrepared(query)
  return db.connection().execute(async (connection) => {
    if (options.generic) await sql`set plan_cache_mode = force_generic_plan`.execute(connection)
    try {
      return (await statement.execute.execute(connection)).rows
    } catch (error) {
      if (!isMissingStatement(error)) throw error
      await statement.prepare.execute(connection)
      return (await statement.execute.execute(connection)).rows
    } finally {
      if (options.generic) await sql`reset plan_cache_mode`.execute(connection)
    }
  })
}
