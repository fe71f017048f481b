import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import type { Config } from '../config.ts'
import { openDatabase, type Database, type DatabaseHandle } from './connection.ts'
import { migrateToLatest } from './migrate.ts'

/**
 * Opens the configured database (server or embedded) and brings its schema up to date. With
 * MIGRATION_DATABASE_URL the migrations run on a connection of their own as the tables' owner,
 * closed again before the app's connection (DATABASE_URL, the app's role) opens.
 */
export async function openMigratedDatabase(config: Config): Promise<DatabaseHandle> {
  if (config.migrationDatabaseUrl) {
    const owner = await openDatabase({ url: config.migrationDatabaseUrl })
    try {
      await migrateToLatest(owner.db)
    } finally {
      await owner.close()
    }
  }
  const target = config.database
  if ('pgliteDir' in target && !existsSync(join(target.pgliteDir, 'PG_VERSION'))) {
    // A new embedded database: PGlite makes its data directory (initdb) in WebAssembly memory
    // that grows to about 500 MB and is never given back while the instance lives. Made in a
    // process of its own (pglite-init.ts), the server's instance opens the finished directory
    // (README, Performance: RSS after the first start).
    await promisify(execFile)(process.execPath, [
      fileURLToPath(new URL('./pglite-init.ts', import.meta.url)),
      target.pgliteDir,
    ])
  }
  const handle = await openDatabase(target)
  try {
    await migrateToLatest(handle.db)
  } catch (err) {
    await handle.close()
    if ((err as { code?: string }).code === '42501')
      throw new Error(
        'The database needs migrating, and the role in DATABASE_URL may not change its tables: ' +
          'set MIGRATION_DATABASE_URL to the same database as the role that owns them',
        { cause: err },
      )
    throw err
  }
  return handle
}

/**
 * Whether the app's connection could rewrite the audit trail: true when its role owns
 * audit_event or is a superuser (then only the trigger, which that role may switch off, keeps the
 * trail append-only). Always false on the embedded PGlite, which has no other role to run as.
 */
export async function appOwnsAuditTrail(db: Database): Promise<boolean> {
  const { rows } = await sql<{ owns: boolean; pglite: boolean }>`
    select (select rolsuper from pg_roles where rolname = current_user)
        or pg_has_role(current_user, (select tableowner from pg_tables
                                      where schemaname = 'public' and tablename = 'audit_event'),
                       'USAGE') as owns,
           version() like '%PGlite%' as pglite`.execute(db)
  return Boolean(rows[0]?.owns && !rows[0].pglite)
}
