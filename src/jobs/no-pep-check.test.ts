import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../db/connection.ts'
import { createTestDatabase } from '../testing/database.ts'
import { addChild, addPep, groupTrayOf, makeWorld, trayOf } from '../testing/job-fixtures.ts'
import { checkNoPep, firstWorkingDayOf } from './no-pep-check.ts'

let database: DatabaseHandle
const spring2027 = { academicYear: 2026, name: 'spring' } as const
const autumn2026 = { academicYear: 2026, name: 'autumn' } as const
/** 01:00 in London. */
const at = (date: string) => new Date(`${date}T01:00:00Z`)
const run = (date: string) => checkNoPep({ db: database.db, now: at(date) })

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

describe('the nightly check for children with no PEP this term', () => {
  it('starts on the first working day of the term: Monday 4 January 2027, after New Year’s Day and a weekend', () => {
    expect(firstWorkingDayOf(spring2027)).toBe('2027-01-04')
    expect(firstWorkingDayOf(autumn2026)).toBe('2026-09-01')
  })

  it('alerts the social worker once per term per child in care without this term’s PEP', async () => {
    const world = await makeWorld(database.db, 'NOP')
    const off = await makeWorld(database.db, 'NOPOFF', { remindersOn: false })
    const without = await addChild(database.db, world)
    const withPep = await addChild(database.db, world)
    await addPep(database.db, world, withPep, { term: spring2027 })
    const lastTermOnly = await addChild(database.db, world)
    await addPep(database.db, world, lastTermOnly, { term: autumn2026, status: 'signed_off' })
    await addChild(database.db, world, { status: 'ceased' })
    await addChild(database.db, world, { dateOfBirth: '2025-06-01' })
    const orphan = await addChild(database.db, world, { socialWorker: false })
    await addChild(database.db, off)

    expect(await run('2027-01-03')).toBe(0)
    expect(await run('2027-01-04')).toBe(3)
    expect(await run('2027-01-05')).toBe(0)
    const alerts = await database.db
      .selectFrom('task')
      .select(['child_id', 'kind', 'is_alert', 'assigned_to', 'title'])
      .where('authority_id', '=', world.authorityId)
      .orderBy('child_id')
      .execute()
    expect(alerts.map((a) => a.child_id).sort()).toEqual([without, lastTermOnly, orphan].sort())
    expect(await trayOf(database.db, world.socialWorker.id)).toEqual([
      'alert no-pep',
      'alert no-pep',
    ])
    expect(await groupTrayOf(database.db, world.authorityId)).toEqual(['task no-pep'])
    expect(alerts.find((a) => a.child_id === without)?.title).toBe(
      'No PEP has been started for Spring term 2027',
    )
    expect(await trayOf(database.db, off.socialWorker.id)).toEqual([])
  })
})
