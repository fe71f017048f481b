import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from './connection.ts'
import { createTestDatabase } from '../testing/database.ts'
import { makeAuthority, makeChild, makePep } from '../testing/factories.ts'

/*
 * A PEP is in its child's authority (migration 2026_12_05_0501): the dashboard and the cohort
 * lists read an authority's term PEPs by their authority and count them as its children's.
 */
let database: DatabaseHandle
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database.close()
})

/** The SQLSTATE a statement fails with, or 'ok'. */
async function attempt(run: () => Promise<unknown>): Promise<string> {
  try {
    await run()
    return 'ok'
  } catch (err) {
    return (err as { code?: string }).code ?? String(err)
  }
}

const FOREIGN_KEY_VIOLATION = '23503'

describe('a PEP and its child’s authority', () => {
  it('keeps a PEP in its child’s authority, and refuses another authority', async () => {
    const { db } = database
    const own = await makeAuthority(db)
    const other = await makeAuthority(db)
    const childId = await makeChild(db, { authorityId: own.id })
    const pepId = await makePep(db, { childId })
    const pep = await db
      .selectFrom('pep')
      .select('authority_id')
      .where('id', '=', pepId)
      .executeTakeFirstOrThrow()
    expect(pep.authority_id).toBe(own.id)

    expect(
      await attempt(() =>
        db.updateTable('pep').set({ authority_id: other.id }).where('id', '=', pepId).execute(),
      ),
    ).toBe(FOREIGN_KEY_VIOLATION)
    // Nor can the child move to another authority while its PEPs stay in the first.
    expect(
      await attempt(() =>
        db.updateTable('child').set({ authority_id: other.id }).where('id', '=', childId).execute(),
      ),
    ).toBe(FOREIGN_KEY_VIOLATION)
    // A child with no PEP is not held.
    const newcomer = await makeChild(db, { authorityId: own.id })
    expect(
      await attempt(() =>
        db
          .updateTable('child')
          .set({ authority_id: other.id })
          .where('id', '=', newcomer)
          .execute(),
      ),
    ).toBe('ok')
  })
})
