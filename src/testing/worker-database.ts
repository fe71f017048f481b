import type { DatabaseHandle } from '../db/connection.ts'

/*
 * One database per test worker, handed from test file to test file and put back to the
 * template's rows in between, instead of a new copy of the template per file: on PGlite a data
 * directory, on the server a database (src/testing/worker-backends.ts has both).
 *
 * On PGlite a copy costs about 1.1 s of CPU a file (copying 42 MB, starting PGlite's Postgres on
 * it, closing and removing it again: process.cpuUsage, five copies in a row); on the server,
 * making a database from the template and dropping it again took 0.5-0.8 s a file, and the file's
 * connections then started cold, their catalog caches empty. Putting back only the tables a file
 * changed costs about 0.1 s, and on the server the app's connections stay open and warm from file
 * to file. The tests see the same database either way: the template's schema and rows (migrated,
 * or with the demo seeded), and nothing another file did.
 *
 * A table counts as changed when it has a row written since the last reset (a newer xmin) or
 * another number of rows; its rows are then deleted and copied back from the template's, read
 * once per worker and held in memory. A file that changed the schema itself (pg-boss making its
 * tables on start, a test altering a table), closed the database or kept a connection is not
 * reset: the worker's database is thrown away, and the next file gets a new one.
 *
 * A file that asks for a second database while it holds this one, or for one as the tables'
 * owner, gets a copy of its own as before (src/testing/database.ts).
 */

export type Contents = 'migrated' | 'demo'

export interface Table {
  /** Quoted and schema-qualified. */
  name: string
  /** The columns that can be written (not generated), quoted, in order. */
  columns: string
}

/** A table's rows as the template has them, in the backend's own form (none: null). */
export interface Saved {
  rows: number
  copy: unknown
}

/** A copy of a template, on PGlite or on the server, and what a reset does to it. */
export interface WorkerBackend {
  /** Runs one statement as the tables' owner; its rows. */
  query<R>(statement: string): Promise<R[]>
  /** A table's rows, in the form `restore` takes back. */
  save(table: Table): Promise<unknown>
  /** In one transaction, triggers and foreign key checks off: each table's rows replaced. */
  restore(changed: { table: Table; copy: unknown }[]): Promise<void>
  /**
   * Ends what the last file left in its sessions (a transaction, settings, prepared statements,
   * locks): false when it cannot (a connection still in use), and the database is thrown away.
   */
  endSessions(): Promise<boolean>
  /** The handle a file gets: closing it calls `returned` and leaves the database open. */
  lease(returned: () => void): DatabaseHandle
  /** Whether the last file closed the database itself. */
  closed(): boolean
  /** Closes and removes the copy. */
  dispose(): Promise<void>
}

/** Where copies of the run's templates come from. */
export interface WorkerTemplates {
  /** The worker's database, or a short-lived copy to read a template's rows from. */
  copy(contents: Contents, use: 'worker' | 'read'): Promise<WorkerBackend>
}

interface WorkerDatabase {
  backend: WorkerBackend
  contents: Contents
  /** The last transaction id of the last reset: a row with a newer xmin was written since. */
  since: number
}

/** The template's tables and schema, the same in every database this worker opens. */
let schema: { tables: Table[]; fingerprint: string } | undefined
/** Per contents, each table's rows (in schema.tables' order), read once per worker. */
const saved: Partial<Record<Contents, Saved[]>> = {}
let worker: Promise<WorkerDatabase> | undefined
/** Set when the schema has sequences, whose values a reset does not put back. */
let unusable = false

class SequencesFound extends Error {}
/** Whether a file holds the worker's database now (set before any await: two calls at once). */
let held = false

/**
 * The worker's database with `contents`, or null while this file already holds it. Closing the
 * handle hands it back; the file must not use it after.
 */
export async function leaseWorkerDatabase(
  templates: WorkerTemplates,
  contents: Contents,
): Promise<DatabaseHandle | null> {
  if (held || unusable) return null
  held = true
  let current: WorkerDatabase | undefined
  try {
    current = worker ? await worker.catch(() => undefined) : undefined
    if (current && !(await reusable(current))) {
      await discard(current)
      current = undefined
    }
    if (!current) {
      const opening = openWorkerDatabase(templates, contents)
      worker = opening
      current = await opening.catch((err: unknown) => {
        worker = undefined
        throw err
      })
    }
    await reset(current, templates, contents)
  } catch (err) {
    if (current) await discard(current)
    held = false
    if (!(err instanceof SequencesFound)) throw err
    unusable = true
    return null
  }
  return current.backend.lease(() => {
    held = false
  })
}

async function openWorkerDatabase(
  templates: WorkerTemplates,
  contents: Contents,
): Promise<WorkerDatabase> {
  const backend = await templates.copy(contents, 'worker')
  try {
    if (!schema) {
      const sequences = await backend.query(`
        select 1 from pg_sequences
        where schemaname not like 'pg\\_%' and schemaname <> 'information_schema'`)
      // A sequence's next value is not put back by a reset: then every file gets a copy instead.
      if (sequences.length > 0) throw new SequencesFound()
      const tables = await backend.query<Table>(`
        select format('%I.%I', n.nspname, c.relname) as name,
          (select string_agg(quote_ident(a.attname), ', ' order by a.attnum) from pg_attribute a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
              and a.attgenerated = '') as columns
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and not c.relispartition
          and n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema'
        order by 1`)
      schema = { tables, fingerprint: await schemaFingerprint(backend) }
    }
    saved[contents] ??= await save(backend, schema.tables)
    return { backend, contents, since: await lastTransaction(backend) }
  } catch (err) {
    await backend.dispose()
    throw err
  }
}

/** Every table's rows in `from`. */
async function save(from: WorkerBackend, tables: Table[]): Promise<Saved[]> {
  const counts = await from.query<{ rows: number }>(
    tables
      .map((t, i) => `select ${i} as i, count(*)::int as rows from ${t.name}`)
      .join(' union all ') + ' order by i',
  )
  const all: Saved[] = []
  for (const [i, table] of tables.entries()) {
    const rows = counts[i]!.rows
    all.push({ rows, copy: rows === 0 ? null : await from.save(table) })
  }
  return all
}

async function reset(
  database: WorkerDatabase,
  templates: WorkerTemplates,
  contents: Contents,
): Promise<void> {
  const { backend } = database
  const { tables } = schema!
  if (!saved[contents]) {
    const source = await templates.copy(contents, 'read')
    try {
      saved[contents] = await save(source, tables)
    } finally {
      await source.dispose()
    }
  }
  const had = saved[database.contents]!
  const wanted = saved[contents]!
  const found = await backend.query<{ rows: number; written: number }>(
    tables
      .map(
        (t, i) =>
          `select ${i} as i, count(*)::int as rows, ` +
          `count(*) filter (where xmin::text::bigint > ${database.since})::int as written ` +
          `from ${t.name}`,
      )
      .join(' union all ') + ' order by i',
  )
  const changed = tables.flatMap((table, i) =>
    found[i]!.rows !== had[i]!.rows ||
    found[i]!.written > 0 ||
    (database.contents !== contents && (had[i]!.rows > 0 || wanted[i]!.rows > 0))
      ? [{ table, copy: wanted[i]!.copy }]
      : [],
  )
  if (changed.length > 0) {
    await backend.restore(changed)
    // Each table rewritten whole, as a new copy has it. Otherwise the room the deleted rows took
    // is reused (after a vacuum: PGlite has no autovacuum, the server's runs when it will) by a
    // later file's new rows, which a read without an order then returns before older ones: on
    // the server a page's history and a test's audit events, sorted by a fixed clock's time, came
    // out in another order. It cost nothing measurable (the app files on PGlite: 161 s, 167 s
    // with a plain vacuum).
    await backend.query(`vacuum full ${changed.map((c) => c.table.name).join(', ')}`)
  }
  database.contents = contents
  database.since = await lastTransaction(backend)
}

/** Whether the last file left the database open, its sessions ended, its schema the template's. */
async function reusable(database: WorkerDatabase): Promise<boolean> {
  const { backend } = database
  if (backend.closed()) return false
  try {
    if (!(await backend.endSessions())) return false
    return (await schemaFingerprint(backend)) === schema!.fingerprint
  } catch {
    return false
  }
}

async function discard(database: WorkerDatabase): Promise<void> {
  if (worker) {
    const current = await worker.catch(() => undefined)
    if (current === database) worker = undefined
  }
  await database.backend.dispose()
}

async function lastTransaction(backend: WorkerBackend): Promise<number> {
  const rows = await backend.query<{ xid: string }>(
    'select (txid_current() % 4294967296)::text as xid',
  )
  return Number(rows[0]!.xid)
}

/** The schema as the tests could see it: tables, columns, constraints, triggers, functions. */
async function schemaFingerprint(backend: WorkerBackend): Promise<string> {
  const rows = await backend.query<{ fingerprint: string }>(`
    with spaces as (
      select oid from pg_namespace
      where nspname not like 'pg\\_%' and nspname <> 'information_schema'
    ), rels as (
      select oid from pg_class where relnamespace in (select oid from spaces)
    )
    select md5(string_agg(x, E'\\n' order by x)) as fingerprint from (
      select 'n ' || nspname as x from pg_namespace where oid in (select oid from spaces)
      union all
      select concat_ws(' ', 'c', oid::regclass, relkind, relrowsecurity, relacl::text)
        from pg_class where oid in (select oid from rels)
      union all
      select concat_ws(' ', 'a', attrelid::regclass, attname, atttypid, attnotnull,
          attisdropped, attgenerated, atthasdef)
        from pg_attribute where attrelid in (select oid from rels) and attnum > 0
      union all
      select concat_ws(' ', 'k', conrelid::regclass, conname, pg_get_constraintdef(oid))
        from pg_constraint where connamespace in (select oid from spaces)
      union all
      select concat_ws(' ', 't', tgrelid::regclass, tgname, tgenabled, tgfoid)
        from pg_trigger where tgrelid in (select oid from rels) and not tgisinternal
      union all
      select concat_ws(' ', 'f', oid::regprocedure, md5(prosrc))
        from pg_proc where pronamespace in (select oid from spaces)
      union all
      select concat_ws(' ', 'e', enumtypid::regtype, enumlabel) from pg_enum
      union all
      select concat_ws(' ', 'r', rolname, rolcanlogin, rolsuper) from pg_roles
      union all
      select concat_ws(' ', 'p', polrelid::regclass, polname) from pg_policy
      union all
      select concat_ws(' ', 'x', extname, extversion) from pg_extension
      union all
      select concat_ws(' ', 'v', evtname) from pg_event_trigger
    ) parts`)
  return rows[0]!.fingerprint
}
