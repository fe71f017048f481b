import { sql } from 'kysely'
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration'
import type { Database } from './connection.ts'
import { migrations } from './migrations/index.ts'

/** True when every migration has run: the common case at start-up, answered with one query. */
async function isUpToDate(db: Database, all: Record<string, Migration>): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
    const applied = new Set(rows.map((r) => r.name))
    return Object.keys(all).every((name) => applied.has(name))
  } catch {
    // No migration table yet: a new database.
    return false
  }
}

export async function migrateToLatest(
  db: Database,
  /** The project's migrations; a test passes its own. */
  all: Record<string, Migration> = migrations,
): Promise<MigrationResultSet> {
  if (await isUpToDate(db, all)) return { results: [] }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => all },
    // Features are built side by side: a migration named earlier can land after one named
    // later. Each is independent of the others' tables, so run any not yet run rather than
    // refuse to start a database that ran the later one first.
    allowUnorderedMigrations: true,
  })
  const result = await migrator.migrateToLatest()
  if (result.error) throw result.error
  return result
}
