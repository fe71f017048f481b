import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { Kysely } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import { openDatabase, type DatabaseHandle } from '../db/connection.ts'
import type { DB } from '../db/schema.ts'

/*
 * On PGlite, one database per test worker, handed from test file to test file and put back to
 * the template's rows in between, instead of a new copy of the template per file.
 *
 * A copy costs about 1.1 s of CPU a file (copying 42 MB, starting PGlite's Postgres on it,
 * closing and removing it again: process.cpuUsage, five copies in a row); putting back only the
 * tables a file changed costs about 0.1 s. The tests see the same database either way: the
 * template's schema and rows (migrated, or with the demo seeded), and nothing another file did.
 * A table counts as changed when it has a row written since the last reset (a newer xmin) or
 * another number of rows; its rows are then deleted and copied back from the template's, read
 * once per worker (COPY, held in memory). A file that changed the schema itself (pg-boss making
 * its tables on start, a test altering a table) or closed the database is not reset: the
 * worker's database is closed and removed, and the next file gets a new one.
 *
 * A file that asks for a second database while it holds this one, or for one as the tables'
 * owner, gets a copy of its own as before (src/testing/database.ts).
 */

export type Contents = 'migrated' | 'demo'

export interface WorkerTemplates {
  /** PGlite data directories to copy: the migrated template and the one with the demo seeded. */
  migrated: string
  demo: string
  /** Where the worker's copies go. */
  copies: string
}

interface Table {
  /** Quoted and schema-qualified. */
  name: string
  /** The columns that can be written (not generated), quoted, in order. */
  columns: string
}

interface WorkerDatabase {
  handle: DatabaseHandle
  dir: string
  contents: Contents
  /** The last transaction id of the last reset: a row with a newer xmin was written since. */
  since: number
}

/** A table's rows as the template has them, in COPY's text format (none: null). */
interface Saved {
  rows: number
  copy: Blob | null
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
      const opening = openWorkerDatabase(templates)
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
  const pglite = current.handle.pglite!
  // A Kysely of the file's own (and so a new session to src/db/prepared.ts), on the worker's
  // PGlite: closing it must not close PGlite.
  const client = { query: pglite.query.bind(pglite), close: async () => undefined }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client as unknown as PGlite) })
  let returned = false
  return {
    db,
    kind: 'pglite',
    pglite,
    async close() {
      if (returned) return
      returned = true
      await db.destroy()
      held = false
    },
  }
}

async function openWorkerDatabase(templates: WorkerTemplates): Promise<WorkerDatabase> {
  const dir = join(templates.copies, `worker-${process.pid}-${Date.now()}`)
  cpSync(templates.migrated, dir, { recursive: true })
  const handle = await openDatabase({ pgliteDir: dir })
  try {
    const pglite = handle.pglite!
    if (!schema) {
      const { rows: sequences } = await pglite.query(`
        select 1 from pg_sequences
        where schemaname not like 'pg\\_%' and schemaname <> 'information_schema'`)
      // A sequence's next value is not put back by a reset: then every file gets a copy instead.
      if (sequences.length > 0) throw new SequencesFound()
      const { rows: tables } = await pglite.query<Table>(`
        select format('%I.%I', n.nspname, c.relname) as name,
          (select string_agg(quote_ident(a.attname), ', ' order by a.attnum) from pg_attribute a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
              and a.attgenerated = '') as columns
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and not c.relispartition
          and n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema'
        order by 1`)
      schema = { tables, fingerprint: await schemaFingerprint(pglite) }
    }
    saved.migrated ??= await save(pglite, schema.tables)
    return { handle, dir, contents: 'migrated', since: await lastTransaction(pglite) }
  } catch (err) {
    await handle.close()
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
}

/** Every table's rows in `from`. */
async function save(from: PGlite, tables: Table[]): Promise<Saved[]> {
  const { rows: counts } = await from.query<{ rows: number }>(
    tables
      .map((t, i) => `select ${i} as i, count(*)::int as rows from ${t.name}`)
      .join(' union all ') + ' order by i',
  )
  const all: Saved[] = []
  for (const [i, table] of tables.entries()) {
    const rows = counts[i]!.rows
    if (rows === 0) {
      all.push({ rows, copy: null })
      continue
    }
    const copied = await from.query(`copy ${table.name} (${table.columns}) to '/dev/blob'`)
    all.push({ rows, copy: copied.blob! })
  }
  return all
}

async function reset(
  database: WorkerDatabase,
  templates: WorkerTemplates,
  contents: Contents,
): Promise<void> {
  const pglite = database.handle.pglite!
  // Whatever the last file left in the session: a transaction, settings, prepared statements
  // (src/db/prepared.ts prepares its statements again on the new file's connection), locks.
  const { rows: idle } = await pglite.query<{ idle: boolean }>(
    'select now() = statement_timestamp() as idle',
  )
  if (!idle[0]!.idle) await pglite.exec('rollback')
  await pglite.exec('reset all; deallocate all; select pg_advisory_unlock_all()')
  const { tables } = schema!
  if (!saved[contents]) {
    const dir = join(templates.copies, `worker-${process.pid}-${contents}-${Date.now()}`)
    cpSync(templates[contents], dir, { recursive: true })
    const source = await openDatabase({ pgliteDir: dir })
    try {
      saved[contents] = await save(source.pglite!, tables)
    } finally {
      await source.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const had = saved[database.contents]!
  const wanted = saved[contents]!
  const { rows: found } = await pglite.query<{ rows: number; written: number }>(
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
    await pglite.transaction(async (tx) => {
      // No triggers (the audit trail's refuses deletes) and no foreign key checks while the
      // rows go back: they are the template's own.
      await tx.exec('set local session_replication_role = replica')
      for (const { table, copy } of changed) {
        await tx.exec(`delete from ${table.name}`)
        if (copy)
          await tx.query(`copy ${table.name} (${table.columns}) from '/dev/blob'`, [], {
            blob: copy,
          })
      }
    })
    // Deleted rows take room until vacuumed (PGlite has no autovacuum).
    await pglite.exec(`vacuum ${changed.map((c) => c.table.name).join(', ')}`)
  }
  database.contents = contents
  database.since = await lastTransaction(pglite)
}

/** Whether the last file left the database open and its schema as the template's. */
async function reusable(database: WorkerDatabase): Promise<boolean> {
  const pglite = database.handle.pglite!
  if (pglite.closed) return false
  try {
    return (await schemaFingerprint(pglite)) === schema!.fingerprint
  } catch {
    return false
  }
}

async function discard(database: WorkerDatabase): Promise<void> {
  if (worker) {
    const current = await worker.catch(() => undefined)
    if (current === database) worker = undefined
  }
  try {
    await database.handle.close()
  } catch {
    // Already closed by the file.
  }
  rmSync(database.dir, { recursive: true, force: true })
}

async function lastTransaction(pglite: PGlite): Promise<number> {
  const { rows } = await pglite.query<{ xid: string }>(
    'select (txid_current() % 4294967296)::text as xid',
  )
  return Number(rows[0]!.xid)
}

/** The schema as the tests could see it: tables, columns, constraints, triggers, functions. */
async function schemaFingerprint(pglite: PGlite): Promise<string> {
  const { rows } = await pglite.query<{ fingerprint: string }>(`
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
