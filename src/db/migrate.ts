import { Migrator, type MigrationResultSet } from 'kysely/migration'
import type { Database } from './connection.ts'
import { migrations } from './migrations/index.ts'

export async function migrateToLatest(db: Database): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  })
  const result = await migrator.migrateToLatest()
  if (result.error) throw result.error
  return result
}
