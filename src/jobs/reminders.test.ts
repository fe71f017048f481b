import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../db/connection.ts'
import { createTestDatabase } from '../testing/database.ts'
import {
  addChild,
  addPep,
  delegate,
  groupTrayOf,
  makeWorld,
  outboxTo,
  trayOf,
} from '../testing/job-fixtures.ts'
import { sendReminders } from './reminders.ts'
import { makeClosureDay } from '../testing/factories.ts'

let database: DatabaseHandle
const autumn = { academicYear: 2026, name: 'autumn' } as const
const baseUrl = 'https://pep.example.org'
/** 06:00 in London on a day (GMT in winter). */
const at = (date: string) => new Date(`${date}T06:00:00Z`)
const run = (date: string) => sendReminders({ db: database.db, now: at(date), baseUrl })

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

describe('the daily reminders', () => {
  it('reminds the designated teacher on the meeting day, by tray and email, once', async () => {
    const world = await makeWorld(database.db, 'MTG')
    const childId = await addChild(database.db, world)
    const pepId = await addPep(database.db, world, childId, {
      term: autumn,
      meetingOn: '2026-11-25',
    })
    await delegate(database.db, world, pepId, '2026-12-09')

    expect((await run('2026-11-24'))['meeting-today']).toBe(0)
    expect(await trayOf(database.db, world.teacher.id)).toEqual([])

    expect((await run('2026-11-25'))['meeting-today']).toBe(1)
    expect((await run('2026-11-25'))['meeting-today']).toBe(0)
    expect(await trayOf(database.db, world.teacher.id)).toEqual(['alert meeting-today'])
    const emails = await outboxTo(database.db, world.teacher.email)
    expect(emails).toHaveLength(1)
    expect(emails[0]!.subject).toBe('A Personal Education Plan meeting is today')
    expect(emails[0]!.text).toContain('due by 9 December 2026')
    expect(emails[0]!.text).toContain(`${baseUrl}/tray`)
    const child = await database.db
      .selectFrom('child')
      .select(['first_name', 'last_name'])
      .where('id', '=', childId)
      .executeTakeFirstOrThrow()
    expect(emails[0]!.text).not.toContain(child.last_name)

    const audit = await database.db
      .selectFrom('audit_event')
      .select(['action', 'user_id', 'acting_role', 'child_id'])
      .where('action', '=', 'job.reminder')
      .where('child_id', '=', childId)
      .execute()
    expect(audit).toEqual([
      { action: 'job.reminder', user_id: null, acting_role: 'system', child_id: childId },
    ])
  })

  it('reminds N working days before the due date, counting over Christmas and a weekend', async () => {
    const world = await makeWorld(database.db, 'DUE')
    const childId = await addChild(database.db, world)
    const pepId = await addPep(database.db, world, childId, {
      term: autumn,
      meetingOn: '2026-12-16',
    })
    // Due Wednesday 30 December; two working days before is Thursday 24 December (the 25th
    // and 28th are bank holidays, the 26th and 27th a weekend).
    await delegate(database.db, world, pepId, '2026-12-30')
    await run('2026-12-23')
    expect(await trayOf(database.db, world.teacher.id)).toEqual([])
    await run('2026-12-24')
    await run('2026-12-24')
    await run('2026-12-29')
    expect(await trayOf(database.db, world.teacher.id)).toEqual(['alert due-soon'])
    const emails = await outboxTo(database.db, world.teacher.email)
    expect(emails.map((e) => e.subject)).toEqual([
      'The school’s part of a Personal Education Plan is due soon',
    ])
  })

  it('sends a reminder once when two processes run the same day’s job at the same time', async () => {
    const world = await makeWorld(database.db, 'RACE')
    const childId = await addChild(database.db, world)
    const pepId = await addPep(database.db, world, childId, {
      term: autumn,
      meetingOn: '2026-11-27',
    })
    await delegate(database.db, world, pepId, '2026-12-11')
    const runs = await Promise.all([run('2026-11-27'), run('2026-11-27'), run('2026-11-27')])
    expect(runs.map((r) => r['meeting-today']).sort()).toEqual([0, 0, 1])
    expect(await trayOf(database.db, world.teacher.id)).toEqual(['alert meeting-today'])
    expect(await outboxTo(database.db, world.teacher.email)).toHaveLength(1)
  })

  it('skips the authority’s closure days too', async () => {
    const world = await makeWorld(database.db, 'CLO')
    await makeClosureDay(database.db, {
      authorityId: world.authorityId,
      onDate: '2026-12-24',
      description: 'Christmas Eve closure',
      createdBy: world.socialWorker.id,
      at: at('2026-11-01'),
    })
    const childId = await addChild(database.db, world)
    const pepId = await addPep(database.db, world, childId, {
      term: autumn,
      meetingOn: '2026-12-16',
    })
    await delegate(database.db, world, pepId, '2026-12-30')
    await run('2026-12-22')
    expect(await trayOf(database.db, world.teacher.id)).toEqual([])
    await run('2026-12-23')
    expect(await trayOf(database.db, world.teacher.id)).toEqual(['alert due-soon'])
  })

  it('escalates an overdue contribution to the social worker, then to the Virtual School', async () => {
    const world = await makeWorld(database.db, 'ESC')
    const childId = await addChild(database.db, world)
    const pepId = await addPep(database.db, world, childId, {
      term: autumn,
      meetingOn: '2026-12-09',
    })
    const delegationId = await delegate(database.db, world, pepId, '2026-12-23')

    await run('2026-12-23')
    expect(await trayOf(database.db, world.socialWorker.id)).toEqual([])
    // One working day overdue (the default): the social worker.
    await run('2026-12-24')
    await run('2026-12-24')
    expect(await trayOf(database.db, world.socialWorker.id)).toEqual(['alert overdue'])
    expect((await outboxTo(database.db, world.socialWorker.email)).map((e) => e.subject)).toEqual([
      'A school’s part of a Personal Education Plan is overdue',
    ])
    expect(await groupTrayOf(database.db, world.authorityId)).toEqual([])
    // Five working days overdue: 24, 29, 30, 31 December and (after New Year's Day and a
    // weekend) Monday 4 January.
    await run('2027-01-03')
    expect(await groupTrayOf(database.db, world.authorityId)).toEqual([])
    await run('2027-01-04')
    await run('2027-01-05')
    expect(await groupTrayOf(database.db, world.authorityId)).toEqual(['task overdue'])
    expect(await trayOf(database.db, world.socialWorker.id)).toEqual(['alert overdue'])

    // The school sends its part: the Virtual School's task closes by itself.
    await database.db
      .updateTable('pep_delegation')
      .set({ status: 'submitted' })
      .where('id', '=', delegationId)
      .execute()
    await run('2027-01-06')
    expect(await groupTrayOf(database.db, world.authorityId)).toEqual([])
  })

  it('sends nothing where the authority has switched reminders off, and touches no other authority', async () => {
    const on = await makeWorld(database.db, 'ON1')
    const off = await makeWorld(database.db, 'OFF', { remindersOn: false })
    for (const world of [on, off]) {
      const childId = await addChild(database.db, world)
      const pepId = await addPep(database.db, world, childId, {
        term: autumn,
        meetingOn: '2026-11-26',
      })
      await delegate(database.db, world, pepId, '2026-11-27')
    }
    await run('2026-11-26')
    await run('2026-12-10')
    expect((await trayOf(database.db, on.teacher.id)).sort()).toEqual([
      'alert due-soon',
      'alert meeting-today',
    ])
    expect(await trayOf(database.db, on.socialWorker.id)).toEqual(['alert overdue'])
    expect(await groupTrayOf(database.db, on.authorityId)).toEqual(['task overdue'])
    expect(await trayOf(database.db, off.teacher.id)).toEqual([])
    expect(await trayOf(database.db, off.socialWorker.id)).toEqual([])
    expect(await groupTrayOf(database.db, off.authorityId)).toEqual([])
    expect(await outboxTo(database.db, off.teacher.email)).toEqual([])
  })

  it('says nothing about a delegation that has been retracted or a PEP signed off', async () => {
    const world = await makeWorld(database.db, 'RET')
    const childId = await addChild(database.db, world)
    const pepId = await addPep(database.db, world, childId, {
      term: autumn,
      meetingOn: '2026-11-30',
    })
    const delegationId = await delegate(database.db, world, pepId, '2026-12-01')
    await database.db
      .updateTable('pep_delegation')
      .set({ status: 'retracted' })
      .where('id', '=', delegationId)
      .execute()
    await run('2026-11-30')
    await run('2026-12-15')
    expect(await trayOf(database.db, world.teacher.id)).toEqual([])
    expect(await trayOf(database.db, world.socialWorker.id)).toEqual([])
  })
})
