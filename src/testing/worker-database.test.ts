import { sql, type Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../db/connection.ts'
import { createTestDatabase, ownerConnection } from './database.ts'

/*
 * The database a test worker hands from file to file (src/testing/worker-database.ts): the next
 * file sees the template's rows and schema, whatever the last one did. Each test leases it, acts
 * as a file would, hands it back, and leases it again beside a copy of the template made apart
 * from it (a second database while the file holds the first is always such a copy).
 */

/** Every table's rows, as one digest a table, read as the tables' owner. */
async function everyRow(handle: DatabaseHandle): Promise<Record<string, string>> {
  const owner = await ownerConnection(handle)
  try {
    const db = owner.db as unknown as Kysely<unknown>
    const { rows: tables } = await sql<{ name: string }>`
      select format('%I.%I', schemaname, tablename) as name from pg_tables
      where schemaname not like 'pg\\_%' and schemaname <> 'information_schema'
      order by 1`.execute(db)
    const digests: Record<string, string> = {}
    for (const { name } of tables) {
      const { rows } = await sql<{ digest: string }>`
        select count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' order by t::text), ''))
          as digest from ${sql.raw(name)} t`.execute(db)
      digests[name] = rows[0]!.digest
    }
    return digests
  } finally {
    await owner.close()
  }
}

/** Which database this is: the same name (server) or the same PGlite (embedded) when reused. */
async function identity(handle: DatabaseHandle): Promise<unknown> {
  if (handle.pglite) return handle.pglite
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(handle.db)
  return rows[0]!.name
}

/** Leases the worker's database again, and a copy of the same template made apart from it. */
async function againBesideACopy(seed?: 'demo') {
  const leased = await createTestDatabase(seed ? { seed } : {})
  const copy = await createTestDatabase(seed ? { seed } : {})
  try {
    return {
      leased: await everyRow(leased),
      copy: await everyRow(copy),
      identity: await identity(leased),
    }
  } finally {
    await copy.close()
    await leased.close()
  }
}

describe("the test worker's database", () => {
  it('hands the next file the seeded demo again after rows were added, changed and removed', async () => {
    const first = await createTestDatabase({ seed: 'demo' })
    const used = await identity(first)
    const owner = await ownerConnection(first)
    try {
      const db = owner.db
      await sql`update child set first_name = 'Zoë 🌟' where id = (select id from child order by id limit 1)`.execute(
        db,
      )
      const { rows } = await sql<{
        id: string
      }>`select id from authority order by id limit 1`.execute(db)
      await db
        .insertInto('audit_event')
        .values({
          occurred_at: new Date(),
          user_id: null,
          acting_role: null,
          authority_id: rows[0]!.id,
          action: 'test.worker-database',
          outcome: 'success',
          child_id: null,
        } as never)
        .execute()
      await sql`delete from task_note`.execute(db)
    } finally {
      await owner.close()
    }
    expect((await everyRow(first))['public.audit_event']).toBeDefined()
    await first.close()

    const again = await againBesideACopy('demo')
    expect(again.identity).toBe(used)
    expect(again.leased).toEqual(again.copy)
  })

  it('hands over the migrated template after the demo, and the demo after it', async () => {
    const demo = await createTestDatabase({ seed: 'demo' })
    const used = await identity(demo)
    await demo.close()
    const migrated = await againBesideACopy()
    expect(migrated.identity).toBe(used)
    expect(migrated.leased).toEqual(migrated.copy)
    expect(Object.values(migrated.leased).some((digest) => !digest.startsWith('0 '))).toBe(true)
    const seeded = await againBesideACopy('demo')
    expect(seeded.identity).toBe(used)
    expect(seeded.leased).toEqual(seeded.copy)
  })

  it('hands over a new database after a file changed the schema', async () => {
    const first = await createTestDatabase()
    const used = await identity(first)
    const owner = await ownerConnection(first)
    try {
      await sql`alter table child add column worker_test text`.execute(owner.db)
    } finally {
      await owner.close()
    }
    await first.close()
    const again = await createTestDatabase()
    try {
      expect(await identity(again)).not.toBe(used)
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from information_schema.columns
        where table_name = 'child' and column_name = 'worker_test'`.execute(again.db)
      expect(rows[0]!.n).toBe(0)
    } finally {
      await again.close()
    }
  })
})
