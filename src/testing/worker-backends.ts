import { randomBytes } from 'node:crypto'
import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import { openDatabase, type DatabaseHandle } from '../db/connection.ts'
import type { DB } from '../db/schema.ts'
import { adminQuery, APP_ROLE, asRole, databaseUrl } from './server-admin.ts'
import type { WorkerBackend, WorkerTemplates } from './worker-database.ts'

/*
 * The worker's database (src/testing/worker-database.ts) on each backend: a copy of the run's
 * template, and how its rows are read, put back and handed to a file.
 */

/** On PGlite: copies of the templates' data directories, in `copies`. */
export function pgliteTemplates(dirs: {
  migrated: string
  demo: string
  copies: string
}): WorkerTemplates {
  return {
    async copy(contents, use) {
      const dir = join(
        dirs.copies,
        `worker-${process.pid}-${use}-${randomBytes(4).toString('hex')}`,
      )
      cpSync(dirs[contents], dir, { recursive: true })
      try {
        return pgliteBackend(await openDatabase({ pgliteDir: dir }), dir)
      } catch (err) {
        rmSync(dir, { recursive: true, force: true })
        throw err
      }
    },
  }
}

function pgliteBackend(handle: DatabaseHandle, dir: string): WorkerBackend {
  const pglite = handle.pglite!
  return {
    async query<R>(statement: string) {
      return (await pglite.query<R>(statement)).rows
    },
    async save(table) {
      return (await pglite.query(`copy ${table.name} (${table.columns}) to '/dev/blob'`)).blob
    },
    async restore(changed) {
      await pglite.transaction(async (tx) => {
        // No triggers (the audit trail's refuses deletes) and no foreign key checks while the
        // rows go back: they are the template's own.
        await tx.exec('set local session_replication_role = replica')
        for (const { table, copy } of changed) {
          await tx.exec(`delete from ${table.name}`)
          if (copy)
            await tx.query(`copy ${table.name} (${table.columns}) from '/dev/blob'`, [], {
              blob: copy as Blob,
            })
        }
      })
    },
    async endSessions() {
      // PGlite's one session: a transaction left open, settings, prepared statements (a new
      // file's connection prepares src/db/prepared.ts's statements again), locks.
      const { rows } = await pglite.query<{ idle: boolean }>(
        'select now() = statement_timestamp() as idle',
      )
      if (!rows[0]!.idle) await pglite.exec('rollback')
      await pglite.exec('reset all; deallocate all; select pg_advisory_unlock_all()')
      return true
    },
    lease(returned) {
      // A Kysely of the file's own on the worker's PGlite: closing it must not close PGlite.
      const client = { query: pglite.query.bind(pglite), close: async () => undefined }
      const db = new Kysely<DB>({ dialect: new PGliteDialect(client as unknown as PGlite) })
      return leased({ db, kind: 'pglite', pglite }, returned)
    },
    closed: () => pglite.closed,
    async dispose() {
      try {
        await handle.close()
      } catch {
        // Already closed by the file.
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * On the server: databases made from the run's templates, named after them (so the run's end
 * drops them with the templates, src/testing/database.ts). The worker's is used by files as the
 * app's role, through one pool kept open from file to file.
 */
export function serverTemplates(template: {
  serverUrl: string
  name: string
  demo: string
}): WorkerTemplates {
  return {
    async copy(contents, use) {
      const { serverUrl } = template
      const name = `${template.name}_${use === 'worker' ? 'w' : 'r'}${randomBytes(4).toString('hex')}`
      const source = contents === 'demo' ? template.demo : template.name
      await adminQuery(serverUrl, `create database ${name} template ${source}`)
      const drop = () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`)
      const url = databaseUrl(serverUrl, name)
      const owner = new pg.Client({ connectionString: url })
      // The run's end drops the database under a worker still alive: not an error then.
      owner.on('error', () => undefined)
      try {
        await owner.connect()
        const app = use === 'worker' ? await openDatabase({ url: asRole(url, APP_ROLE) }) : null
        return serverBackend(owner, app, drop)
      } catch (err) {
        await owner.end().catch(() => undefined)
        await drop()
        throw err
      }
    },
  }
}

function serverBackend(
  owner: pg.Client,
  app: DatabaseHandle | null,
  drop: () => Promise<unknown>,
): WorkerBackend {
  const pool = () => app!.pool!
  return {
    async query<R>(statement: string) {
      return (await owner.query(statement)).rows as R[]
    },
    async save(table) {
      const { rows } = await owner.query<{ copy: string }>(
        `select json_agg(t)::text as copy from (select ${table.columns} from ${table.name}) t`,
      )
      return rows[0]!.copy
    },
    async restore(changed) {
      await owner.query('begin')
      try {
        // As on PGlite: no triggers and no foreign key checks while the template's rows go back.
        await owner.query('set local session_replication_role = replica')
        for (const { table, copy } of changed) {
          await owner.query(`delete from ${table.name}`)
          if (copy)
            await owner.query(
              `insert into ${table.name} (${table.columns}) select ${table.columns} ` +
                `from json_populate_recordset(null::${table.name}, $1::json)`,
              [copy],
            )
        }
        await owner.query('commit')
      } catch (err) {
        await owner.query('rollback').catch(() => undefined)
        throw err
      }
    },
    async endSessions() {
      const clients = pool()
      if (clients.waitingCount > 0 || clients.idleCount !== clients.totalCount) return false
      // Every open connection: settings, prepared statements (a new file's Kysely prepares
      // src/db/prepared.ts's statements again), locks, listeners. Its caches stay warm.
      const open = await Promise.all(
        Array.from({ length: clients.totalCount }, () => clients.connect()),
      )
      try {
        await Promise.all(open.map((client) => client.query('discard all')))
      } finally {
        for (const client of open) client.release()
      }
      return true
    },
    lease(returned) {
      const clients = pool()
      // A Kysely of the file's own on the worker's pool: destroying it must not end the pool.
      const shared = {
        options: clients.options,
        connect: () => clients.connect(),
        end: async () => undefined,
      }
      const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: shared }) })
      return leased({ db, kind: 'postgres', pool: clients }, returned)
    },
    closed: () => app?.pool?.ending ?? false,
    async dispose() {
      await app?.close().catch(() => undefined)
      await owner.end().catch(() => undefined)
      await drop()
    },
  }
}

/** The file's handle: closing it destroys the file's Kysely and hands the database back. */
function leased(handle: Omit<DatabaseHandle, 'close'>, returned: () => void): DatabaseHandle {
  let done = false
  return {
    ...handle,
    async close() {
      if (done) return
      done = true
      await handle.db.destroy()
      returned()
    },
  }
}
