import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database, type DatabaseHandle } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { AttendancePeriod } from '../../domain/attendance.ts'
import type { PersonActor } from '../../shared/actor.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { addChild, makeWorld, type JobWorld } from '../../testing/job-fixtures.ts'
import { makeClient } from '../../testing/api.ts'
import { registerWebhook } from '../api/webhooks.service.ts'
import { addAttendance, importAttendance } from './attendance.service.ts'
import { attendanceAlarms } from '../../testing/attendance-alarms.ts'
import { recordExclusion } from './exclusions.service.ts'

/*
 * The alarms are work done once "however often or in however many processes they run" (issue
 * 19), tested here with the runs at the same time rather than one after the other. On PostgreSQL
 * (TEST_DATABASE_URL) the second run comes from a second, independent pool of connections to the
 * same database: two processes as far as the database can tell. On
 * PGlite, one embedded database, the two runs are started together on it and interleave as its
 * one connection allows. Either way: one alert for the social worker, one task in the Virtual
 * School's tray, one webhook delivery (the message sent out of OpenPEP for the alarm: these
 * alarms send no email, domain spec section 8) per child and period, and every run ends well.
 */

let t: TestContext
let other: DatabaseHandle | null = null
let second: Database
let world: JobWorld
let clientId: string

const BELOW: AttendancePeriod = {
  startsOn: '2026-09-01',
  endsOn: '2026-10-23',
  possible: 100,
  attended: 80,
  authorised: 15,
  unauthorised: 5,
}

const actor = (): PersonActor => {
  const now = t.clock.now()
  return { userId: world.socialWorker.id, role: 'social_worker', now, today: londonDate(now) }
}

/** Each alarm about the children, as the trays and the webhook queue hold them. */
const alarms = (childIds: readonly string[]) =>
  attendanceAlarms(t.database.db, { childIds, socialWorkerId: world.socialWorker.id, clientId })

const ONCE = { alerts: 1, tasks: 1, deliveries: 1 }

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo', env: { WEBHOOK_LOOPBACK_HTTP: 'allow' } })
  const url = t.database.pool?.options.connectionString
  // A second process's connections: on the server, a pool of its own; on PGlite, the one database.
  other = url ? await openDatabase({ url }) : null
  second = other?.db ?? t.database.db
  world = await makeWorld(t.database.db, 'RACE')
  const client = await makeClient(t, world.authorityId, ['children:read'], 'Race receiver')
  clientId = client.id
  const admin = await t.database.db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', 'vs.admin@example.org')
    .executeTakeFirstOrThrow()
  await registerWebhook(
    t.database.db,
    { userId: admin.id, role: 'vs_admin', now: t.clock.now(), today: londonDate(t.clock.now()) },
    {
      authorityId: world.authorityId,
      clientId,
      url: 'http://127.0.0.1:9/events',
      events: ['child.attendance-below-threshold'],
      keyring: t.config.mfaKeys,
    },
  )
})
afterAll(async () => {
  await other?.close()
  await t.close()
})

describe('the attendance alarm run twice at the same time', () => {
  it('is the same database seen by both runs', async () => {
    const seen = await second
      .selectFrom('authority')
      .select('id')
      .where('id', '=', world.authorityId)
      .executeTakeFirst()
    expect(seen?.id).toBe(world.authorityId)
  })

  it('alarms once per child and period when the same file is imported by two processes at once', async () => {
    const children = [await addChild(t.database.db, world), await addChild(t.database.db, world)]
    const rows = children.map((childId) => ({ ...BELOW, childId, schoolId: world.schoolId }))
    const runs = await Promise.allSettled([
      importAttendance(t.database.db, actor(), world.authorityId, rows),
      importAttendance(second, actor(), world.authorityId, rows),
    ])
    expect(runs.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled'])
    const counts = runs.map((r) => (r.status === 'fulfilled' ? r.value : null))
    // One run added both periods and alarmed; the other found them there, unchanged.
    expect(counts.map((c) => c?.added).sort()).toEqual([0, 2])
    expect(counts.map((c) => c?.unchanged).sort()).toEqual([0, 2])
    expect(counts.map((c) => c?.alerted).sort()).toEqual([0, 2])
    expect(await alarms(children)).toEqual([ONCE, ONCE])
    const periods = await t.database.db
      .selectFrom('attendance_period')
      .select('child_id')
      .where('child_id', 'in', children)
      .execute()
    expect(periods).toHaveLength(2)
    const notices = await t.database.db
      .selectFrom('scheduled_notice')
      .select('subject_id')
      .where('kind', '=', 'attendance-below')
      .where('subject_id', 'in', children)
      .execute()
    expect(notices).toHaveLength(2)
  })

  it('alarms once when the same period is added on the form in two processes at once, refusing the second', async () => {
    const childId = await addChild(t.database.db, world)
    const runs = await Promise.allSettled([
      addAttendance(t.database.db, actor(), { childId, period: BELOW }),
      addAttendance(second, actor(), { childId, period: BELOW }),
    ])
    expect(runs.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled'])
    const results = runs.map((r) => (r.status === 'fulfilled' ? r.value : null))
    expect(results.filter((r) => r?.ok)).toHaveLength(1)
    expect(results.find((r) => r && !r.ok)).toMatchObject({
      ok: false,
      error: { code: 'attendance.period-exists' },
    })
    expect(await alarms([childId])).toEqual([ONCE])
  })

  it('alarms once when an import and the form give the same period at once', async () => {
    const childId = await addChild(t.database.db, world)
    const runs = await Promise.allSettled([
      importAttendance(second, actor(), world.authorityId, [
        { ...BELOW, childId, schoolId: world.schoolId },
      ]),
      addAttendance(t.database.db, actor(), { childId, period: BELOW }),
    ])
    expect(runs.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled'])
    expect(await alarms([childId])).toEqual([ONCE])
  })
})

describe('the exclusion alarm recorded in two processes at once', () => {
  it('gives the Virtual School one task for each exclusion, and none twice', async () => {
    const childId = await addChild(t.database.db, world)
    const exclusion = (startsOn: string) => ({
      kind: 'suspension' as const,
      startsOn,
      endsOn: startsOn,
      sessionsMissed: 2,
      reason: 'persistent-disruption' as const,
      provision: '',
    })
    const runs = await Promise.allSettled([
      recordExclusion(t.database.db, actor(), {
        childId,
        authorityId: world.authorityId,
        exclusion: exclusion('2026-11-02'),
      }),
      recordExclusion(second, actor(), {
        childId,
        authorityId: world.authorityId,
        exclusion: exclusion('2026-11-09'),
      }),
    ])
    expect(runs.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled'])
    const tasks = await t.database.db
      .selectFrom('task')
      .select(['about_date', 'group_role'])
      .where('kind', '=', 'exclusion-recorded')
      .where('child_id', '=', childId)
      .orderBy('about_date')
      .execute()
    expect(tasks).toEqual([
      { about_date: '2026-11-02', group_role: 'vs_consultant' },
      { about_date: '2026-11-09', group_role: 'vs_consultant' },
    ])
  })
})
