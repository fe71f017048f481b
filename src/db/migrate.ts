import { sql } from 'kysely'
import { Migrator, type MigrationResultSet } from 'kysely/migration'
import type { Database } from './connection.ts'
import { migrations } from './migrations/index.ts'

/** True when every migration has run: the common case at start-up, answered with one query. */
async function isUpToDate(db: Database): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
    const applied = new Set(rows.map((r) => r.name))
    return Object.keys(migrations).every((name) => applied.has(name))
  } catch {
    // No migration table yet: a new database.
    return false
  }
}

export async function migrateToLatest(db: Database): Promise<MigrationResultSet> {
  if (await isUpToDate(db)) return { results: [] }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  })
  const result = await migrator.migrateToLatest()
  if (result.error) throw result.error
  return result
}
