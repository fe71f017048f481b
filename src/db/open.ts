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
  const handle = await openDatabase(config.database)
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
