import type { Config } from '../config.ts'
import { openDatabase, type DatabaseHandle } from './connection.ts'
import { migrateToLatest } from './migrate.ts'

/** Opens the configured database (server or embedded) and brings its schema up to date. */
export async function openMigratedDatabase(config: Config): Promise<DatabaseHandle> {
  const handle = await openDatabase(config.database)
  try {
    await migrateToLatest(handle.db)
  } catch (err) {
    await handle.close()
    throw err
  }
  return handle
}
