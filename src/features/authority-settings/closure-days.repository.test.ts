import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/connection.ts'
import { createTestDatabase } from '../../testing/database.ts'
import { addClosureDay, listClosureDays, removeClosureDay } from './closure-days.repository.ts'
import { closureDaySet } from '../../shared/settings.ts'

let database: DatabaseHandle
let harrowfield: string
let eastmere: string
let adminId: string
const at = new Date('2026-11-23T10:00:00Z')

beforeAll(async () => {
  database = await createTestDatabase({ seed: 'demo' })
  const authorities = await database.db.selectFrom('authority').select(['id', 'code']).execute()
  harrowfield = authorities.find((a) => a.code === 'HFD')!.id
  eastmere = authorities.find((a) => a.code === 'EMR')!.id
  adminId = (
    await database.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'vs.admin@example.org')
      .executeTakeFirstOrThrow()
  ).id
})
afterAll(() => database.close())

describe('closure days', () => {
  it('adds, lists in date order, and refuses the same date twice', async () => {
    const add = (onDate: string, description: string) =>
      addClosureDay(database.db, harrowfield, { onDate, description, createdBy: adminId, at })
    expect(await add('2026-12-29', 'Office closed 🎄')).toBe(true)
    expect(await add('2026-12-24', 'Diwrnod cau’r swyddfa')).toBe(true)
    expect(await add('2026-12-29', 'Again')).toBe(false)
    const days = await listClosureDays(database.db, harrowfield)
    expect(days.map((d) => [d.onDate, d.description])).toEqual([
      ['2026-12-24', 'Diwrnod cau’r swyddfa'],
      ['2026-12-29', 'Office closed 🎄'],
    ])
    expect(days[0]!.createdBy).toBe(adminId)
  })

  it('gives a set of dates, optionally between two dates', async () => {
    expect(await closureDaySet(database.db, harrowfield)).toEqual(
      new Set(['2026-12-24', '2026-12-29']),
    )
    expect(
      await closureDaySet(database.db, harrowfield, { from: '2026-12-25', to: '2027-01-31' }),
    ).toEqual(new Set(['2026-12-29']))
    expect(await closureDaySet(database.db, eastmere)).toEqual(new Set())
  })

  it('removes one authority’s day only', async () => {
    await addClosureDay(database.db, eastmere, {
      onDate: '2026-12-24',
      description: 'Eastmere',
      createdBy: adminId,
      at,
    })
    expect(await removeClosureDay(database.db, harrowfield, '2026-12-24')).toEqual({
      onDate: '2026-12-24',
      description: 'Diwrnod cau’r swyddfa',
    })
    expect(await removeClosureDay(database.db, harrowfield, '2026-12-24')).toBeUndefined()
    expect(await closureDaySet(database.db, eastmere)).toEqual(new Set(['2026-12-24']))
    expect(await closureDaySet(database.db, harrowfield)).toEqual(new Set(['2026-12-29']))
  })
})
