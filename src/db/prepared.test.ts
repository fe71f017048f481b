import { CompiledQuery, sql, type DatabaseConnection } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { DatabaseHandle } from './connection.ts'
import { executePrepared } from './prepared.ts'
import { createTestDatabase } from '../testing/database.ts'

let database: DatabaseHandle
beforeAll(async () => {
  database = await createTestDatabase()
  await database.db
    .insertInto('authority')
    .values([
      { name: 'Prepared One', code: 'PR1' },
      { name: 'Prepared Two', code: 'PR2' },
    ])
    .execute()
})
afterAll(() => database.close())

describe('a query run as a prepared statement', () => {
  it('answers as the same query run plainly, run after run and for other values', async () => {
    const db = database.db
    const byCode = (code: string) =>
      db.selectFrom('authority').select(['name', 'code']).where('code', '=', code)
    for (const code of ['PR1', 'PR2', 'PR1', 'PR2', 'PR1', 'PR2', 'PR1', 'none'])
      expect(await executePrepared(db, byCode(code))).toEqual(await byCode(code).execute())
  })

  it('refuses a value that could carry SQL, since EXECUTE takes literals', async () => {
    const db = database.db
    const query = db.selectFrom('authority').select('name').where('name', '=', "x' or 'a'='a")
    await expect(executePrepared(db, query)).rejects.toThrow(/only ids, codes and numbers/)
  })

  it('prepares on a connection before its first EXECUTE, so the server logs no missing statement', async () => {
    const db = database.db
    const connection = await db
      .getExecutor()
      .provideConnection(async (c) => Object.getPrototypeOf(c) as DatabaseConnection)
    const sent = vi.spyOn(connection, 'executeQuery')
    try {
      // A shape of query no connection has prepared yet.
      const byCodes = db
        .selectFrom('authority')
        .select('code')
        .where('code', 'in', ['PR1', 'PR2', 'PR3'])
        .orderBy('code')
      for (let i = 0; i < 3; i++)
        expect(await executePrepared(db, byCodes)).toEqual([{ code: 'PR1' }, { code: 'PR2' }])
      const statements = sent.mock.calls.map(([query]) => query.sql.split(' ')[0])
      expect(statements).toEqual(['prepare', 'execute', 'execute', 'execute'])
      expect(sent.mock.settledResults.map((r) => r.type)).toEqual(Array(4).fill('fulfilled'))

      // A connection that lost its statements behind the pool's back prepares it again.
      await db
        .getExecutor()
        .provideConnection((c) => c.executeQuery(CompiledQuery.raw('deallocate all')))
      expect(await executePrepared(db, byCodes)).toEqual([{ code: 'PR1' }, { code: 'PR2' }])
    } finally {
      sent.mockRestore()
    }
  })

  it('fails a transaction whose connection lost the statement with that cause, then recovers outside', async () => {
    const db = database.db
    const query = db.selectFrom('authority').select('code').where('code', '=', 'PR2')
    const failed = db.transaction().execute(async (trx) => {
      // Prepared on the transaction's connection, then lost behind its back.
      expect(await executePrepared(trx, query)).toEqual([{ code: 'PR2' }])
      await sql`deallocate all`.execute(trx)
      await trx.insertInto('authority').values({ name: 'Prepared Lost', code: 'PRL' }).execute()
      return executePrepared(trx, query)
    })
    await expect(failed).rejects.toMatchObject({ code: '26000' })
    // Nothing of the transaction is kept, and the next call prepares the statement again.
    expect(
      await db.selectFrom('authority').select('code').where('code', '=', 'PRL').execute(),
    ).toEqual([])
    for (let i = 0; i < 3; i++) expect(await executePrepared(db, query)).toEqual([{ code: 'PR2' }])
  })
})
