import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
})
