import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/connection.ts'
import { createTestDatabase } from '../../testing/database.ts'
import { makeChild, makePep, makeSchool, makeUser } from '../../testing/factories.ts'
import { revisionsOf } from './peps.repository.ts'

let database: DatabaseHandle
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

describe("a page's history", () => {
  it('puts a version not chosen after the save it lost to, at the same instant and stored first', async () => {
    const db = database.db
    const { authorityId, schoolId } = await makeSchool(db)
    const sw = await makeUser(db, { role: 'social_worker', authorityId })
    const childId = await makeChild(db, { authorityId, schoolId, recordOwnerId: sw.id })
    const pepId = await makePep(db, { childId })
    const at = new Date('2026-11-23T10:00:00.000Z')
    const revision = (version: number, percentage: number, kind: 'saved' | 'not-chosen') => ({
      pep_id: pepId,
      page_id: 'attendance',
      version,
      answers: JSON.stringify({ 'attendance-percentage': percentage }),
      saved_by: sw.id,
      saved_at: at,
      kind,
    })
    // Stored in the order a table read without sorting could return them in.
    await db
      .insertInto('pep_page_revision')
      .values([
        revision(2, 77, 'not-chosen'),
        revision(2, 93, 'saved'),
        revision(1, 80, 'saved'),
        revision(3, 94, 'saved'),
      ] as never)
      .execute()

    const history = await revisionsOf(db, pepId, 'attendance')

    expect(history.map((r) => [r.version, r.kind, r.answers['attendance-percentage']])).toEqual([
      [1, 'saved', 80],
      [2, 'saved', 93],
      [2, 'not-chosen', 77],
      [3, 'saved', 94],
    ])
  })
})
