import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from './connection.ts'
import { migrateToLatest } from './migrate.ts'
import { migrations } from './migrations/index.ts'
import { sql, type Kysely } from 'kysely'
import { createEmptyTestDatabase, createTestDatabase } from '../testing/database.ts'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await createEmptyTestDatabase()
})
afterAll(() => handle.close())

describe('migrations', () => {
  it('run every migration on a new database, in order, then nothing on the next start', async () => {
    const first = await migrateToLatest(handle.db)
    expect(first.results?.map((r) => [r.migrationName, r.status])).toEqual(
      Object.keys(migrations).map((name) => [name, 'Success']),
    )
    const again = await migrateToLatest(handle.db)
    expect(again.results).toEqual([])
  })

  it('run one named earlier that arrives after a later one has run, instead of refusing', async () => {
    const database = await createEmptyTestDatabase()
    try {
      const table = (name: string) => ({
        up: async (db: Kysely<unknown>) => {
          await db.schema.createTable(name).addColumn('id', 'integer').execute()
        },
      })
      const early = { '2026_01_01_0001_a': table('t_a'), '2026_01_01_0003_c': table('t_c') }
      await migrateToLatest(database.db, early)
      const late = await migrateToLatest(database.db, {
        ...early,
        '2026_01_01_0002_b': table('t_b'),
      })
      expect(late.results?.map((r) => [r.migrationName, r.status])).toEqual([
        ['2026_01_01_0002_b', 'Success'],
      ])
    } finally {
      await database.close()
    }
  })

  it('give both databases the same types: dates as text, counts as numbers', async () => {
    const database = await createTestDatabase()
    try {
      const { rows } = await sql<{ d: string; n: number; big: number }>`
        select date '2028-02-29' as d, count(*) as n, 9007199254740991::bigint as big from authority`.execute(
        database.db,
      )
      expect(rows[0]).toEqual({ d: '2028-02-29', n: 0, big: 9007199254740991 })
    } finally {
      await database.close()
    }
  })
})
