import { mkdirSync } from 'node:fs'
import { Kysely, PostgresDialect, type Transaction } from 'kysely'
import { PGlite } from '@electric-sql/pglite'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import type { DB } from './schema.ts'

export type Database = Kysely<DB>
/** What a repository takes: the database, or the transaction its service opened. */
export type Queryable = Database | Transaction<DB>

export interface DatabaseHandle {
  db: Database
  kind: 'pglite' | 'postgres'
  /** Set when running embedded, for tools (such as the job queue) that need the raw client. */
  pglite?: PGlite
  pool?: pg.Pool
  close(): Promise<void>
}

/*
 * Both backends must hand back the same JavaScript types: bigint and numeric arrive as strings
 * from pg but as numbers from PGlite, and both would turn a calendar date into a Date at local
 * midnight. We fix one rule for both: int8 -> number, numeric -> string, date -> 'YYYY-MM-DD'.
 */
const INT8 = 20
const NUMERIC = 1700
const DATE = 1082
const identity = (value: string) => value
const toNumber = (value: string) => Number(value)
const parsers: Record<number, (value: string) => unknown> = {
  [INT8]: toNumber,
  [NUMERIC]: identity,
  [DATE]: identity,
}

/*
 * The embedded server serves one process through one connection: PostgreSQL's defaults (128 MB
 * of shared buffers, 100 connections' shared memory) made it start in 2.4 s and hold 320 MB
 * before the first query; these settings start it in about 1 s in 180 MB (bench/results). The
 * operating system's file cache still holds the data files, so larger databases read fast.
 */
const PGLITE_SETTINGS = ['shared_buffers = 16MB', 'max_connections = 10']

export type DatabaseTarget = { url: string } | { pgliteDir: string } | { memory: true }

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if ('url' in target) {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: 10,
      // No JIT compilation: this app's statements are short, and PostgreSQL's cost estimate sent
      // the oversight's cohort read of 3,000 children to JIT, whose compiling took 235 ms of a
      // 575 ms statement (EXPLAIN ANALYZE, national data). No parallel workers either: starting
      // one for the dashboard's criteria (16 ms of work) made the statement take 65-112 ms, and
      // on a busy server the pages' own connections are the parallelism. The server's settings
      // otherwise.
      options: '-c jit=off -c max_parallel_workers_per_gather=0',
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    })
    // An idle client losing its server (a database restart) must not crash the process.
    pool.on('error', () => undefined)
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    return { db, kind: 'postgres', pool, close: () => db.destroy() }
  }
  let dataDir: string | undefined
  if ('pgliteDir' in target) {
    mkdirSync(target.pgliteDir, { recursive: true })
    dataDir = target.pgliteDir
  }
  const pglite = await PGlite.create({ dataDir, parsers, postgresqlconf: PGLITE_SETTINGS })
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) })
  return {
    db,
    kind: 'pglite',
    pglite,
    async close() {
      await db.destroy()
      if (!pglite.closed) await pglite.close()
    },
  }
}
