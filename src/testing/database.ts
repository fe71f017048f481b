import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type DatabaseHandle } from '../db/connection.ts'
import { migrateToLatest } from '../db/migrate.ts'

/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default, or a new
 * database on the server in TEST_DATABASE_URL (dropped again on close), so test files can run
 * in parallel without seeing each other's rows.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.TEST_DATABASE_URL
  if (!serverUrl) {
    const handle = await openDatabase({ memory: true })
    await migrateToLatest(handle.db)
    return handle
  }
  const name = `openpep_test_${randomBytes(6).toString('hex')}`
  await adminQuery(serverUrl, `create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const handle = await openDatabase({ url: url.toString() })
  await migrateToLatest(handle.db)
  return {
    ...handle,
    async close() {
      await handle.close()
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`)
    },
  }
}

async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}
