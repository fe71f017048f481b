import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../app.ts'
import { openDatabase, type Database, type DatabaseHandle } from '../../db/connection.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import { withCheckLetter } from '../../domain/upn.ts'
import { TestAgent } from '../../testing/agent.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import { makeClient, startWebhookReceiver, type WebhookReceiver } from '../../testing/api.ts'
import { deliverDueWebhooks, registerWebhook } from '../api/webhooks.service.ts'
import { attendanceAlarms } from '../../testing/attendance-alarms.ts'

/*
 * Issue 19's rule, "the alerts are jobs that do each piece of work once, however often or in
 * however many processes they run", through HTTP: two app instances over one database (as in
 * stateless.test.ts), the Virtual School uploading the same attendance file to each at the same
 * moment. On PostgreSQL (TEST_DATABASE_URL) the second instance has its own pool of connections:
 * two processes as far as the database can tell. On PGlite both instances share the one embedded
 * database, and their requests interleave as its one connection allows. Both instances run on the
 * same test clock (t.clock): a session's expiry is computed from the clock of the instance that
 * signs in, so a second instance on the system clock would refuse the first's sessions.
 * Then both run the webhook sender (the job that sends the alarm out of OpenPEP; these alarms
 * send no email, domain spec section 8) at once: each alarm reaches the receiver once.
 */

let world: DemoWorld
let other: DatabaseHandle | null = null
let secondDb: Database
let second: FastifyInstance
let onFirst: TestAgent
let onSecond: TestAgent
let receiver: WebhookReceiver
let clientId: string

const HEADER =
  'upn,school_urn,period_start,period_end,sessions_possible,sessions_attended,authorised_absence,unauthorised_absence'
let nextUpn = 990000000100

/** Two new children of the demo social worker, with UPNs, below the line in the autumn. */
async function twoChildren(name: string) {
  const children: { id: string; upn: string }[] = []
  for (const suffix of ['A', 'B']) {
    const id = await world.newChild({
      firstName: `${name}${suffix}`,
      lastName: 'Raced',
      caseReference: `HFD-RACE-${name}-${suffix}`,
      access: [['social.worker@example.org', 'social_worker']],
    })
    const upn = withCheckLetter(String(nextUpn++))
    await world.t.database.db.updateTable('child').set({ upn }).where('id', '=', id).execute()
    children.push({ id, upn })
  }
  const rows = children.map(({ upn }) => `${upn},990002,2026-09-01,2026-10-23,76,60,10,6`)
  return { ids: children.map((c) => c.id), rows }
}

const upload = (agent: TestAgent, lines: readonly string[]) =>
  agent.postMultipart(
    '/attendance/import',
    { authority: world.authorityId },
    {
      field: 'file',
      filename: 'attendance.csv',
      contentType: 'text/csv',
      content: Buffer.from([HEADER, ...lines].join('\r\n')),
    },
  )

/** The import page's message after an upload on that instance. */
async function summary(agent: TestAgent) {
  const page = await agent.get('/attendance/import')
  return /(\d+ rows imported: [^<]*alerted\.)/.exec(page.body)?.[1] ?? ''
}

/** What the two uploads left for these children: periods, alerts, tasks and the webhook outbox. */
async function landed(childIds: readonly string[]) {
  const db = world.t.database.db
  const periods = await db
    .selectFrom('attendance_period')
    .select('child_id')
    .where('child_id', 'in', childIds)
    .execute()
  const alarms = await attendanceAlarms(db, {
    childIds,
    socialWorkerId: world.ids['social.worker@example.org']!,
    clientId,
  })
  return childIds.map((childId, i) => ({
    periods: periods.filter((p) => p.child_id === childId).length,
    ...alarms[i]!,
  }))
}

const importAudits = async (outcome: 'success' | 'failure') =>
  (
    await world.t.database.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'attendance.import')
      .where('outcome', '=', outcome)
      .execute()
  ).length

beforeAll(async () => {
  world = await demoWorld()
  const { t } = world
  const url = t.database.pool?.options.connectionString
  // A second process's connections: on the server, a pool of its own; on PGlite, the one database.
  other = url ? await openDatabase({ url }) : null
  secondDb = other?.db ?? t.database.db
  second = await buildApp({ config: t.config, db: secondDb, clock: t.clock })
  await second.ready()

  onFirst = await world.agent('vs.consultant@example.org')
  onSecond = new TestAgent(second)
  await onSecond.signIn('vs.consultant@example.org', DEMO_PASSWORD)
  await onFirst.get('/attendance/import')
  await onSecond.get('/attendance/import')

  receiver = await startWebhookReceiver()
  const client = await makeClient(t, world.authorityId, ['children:read'], 'Two-instance receiver')
  clientId = client.id
  const now = t.clock.now()
  await registerWebhook(
    t.database.db,
    { userId: world.ids['vs.admin@example.org']!, role: 'vs_admin', now, today: londonDate(now) },
    {
      authorityId: world.authorityId,
      clientId,
      url: receiver.url,
      events: ['child.attendance-below-threshold'],
      keyring: t.config.mfaKeys,
    },
  )
})
afterAll(async () => {
  await second?.close()
  await other?.close()
  await receiver?.close()
  await world.close()
})

describe('the same attendance file uploaded to two app instances at once', () => {
  it('signs the Virtual School in on each instance, over one database', async () => {
    // Each instance accepts the other's session: they share the sessions and the clock.
    const page = await second.inject({
      url: '/attendance/import',
      headers: { cookie: onFirst.cookieHeader() },
    })
    expect(page.statusCode).toBe(200)
    expect((await onSecond.get('/attendance/import')).statusCode).toBe(200)
  })

  it('saves nothing from either when the file has a bad row', async () => {
    const { ids, rows } = await twoChildren('Bad')
    const bad = [
      ...rows,
      `${withCheckLetter('990000000999')},990002,2026-09-01,2026-10-23,76,70,6,0`,
    ]
    const failedBefore = await importAudits('failure')
    const responses = await Promise.all([upload(onFirst, bad), upload(onSecond, bad)])
    expect(responses.map((r) => r.statusCode)).toEqual([400, 400])
    for (const response of responses) {
      expect(response.body).toContain('1 of 3 rows have a problem. Nothing was imported.')
    }
    const none = { periods: 0, alerts: 0, tasks: 0, deliveries: 0 }
    expect(await landed(ids)).toEqual([none, none])
    expect(await importAudits('failure')).toBe(failedBefore + 2)
  })

  it('lands a good file once, with one alert, one task and one webhook per child and period', async () => {
    const { ids, rows } = await twoChildren('Good')
    const succeededBefore = await importAudits('success')
    const responses = await Promise.all([upload(onFirst, rows), upload(onSecond, rows)])
    expect(responses.map((r) => r.statusCode)).toEqual([303, 303])
    // One instance saved both periods and alarmed; the other found them there, unchanged.
    expect([await summary(onFirst), await summary(onSecond)].sort()).toEqual([
      '2 rows imported: 0 new periods, 0 corrected, 2 unchanged. 0 below the line alerted.',
      '2 rows imported: 2 new periods, 0 corrected, 0 unchanged. 2 below the line alerted.',
    ])
    const once = { periods: 1, alerts: 1, tasks: 1, deliveries: 1 }
    expect(await landed(ids)).toEqual([once, once])
    expect(await importAudits('success')).toBe(succeededBefore + 2)

    // Both instances' webhook senders run at the same moment: each alarm is sent once.
    const now = world.t.clock.now()
    const send = (db: Database) =>
      deliverDueWebhooks({ db, now, keyring: world.t.config.mfaKeys, allowLoopback: true })
    const runs = await Promise.all([send(world.t.database.db), send(secondDb)])
    expect(runs.reduce((n, r) => n + r.delivered, 0)).toBe(2)
    expect(runs.reduce((n, r) => n + r.failed, 0)).toBe(0)
    const sentFor = (childId: string) =>
      receiver.received.filter(
        (e) => e.type === 'child.attendance-below-threshold' && e.data.childId === childId,
      ).length
    expect(ids.map(sentFor)).toEqual([1, 1])
    // And again on both: nothing is left to send.
    const again = await Promise.all([send(world.t.database.db), send(secondDb)])
    expect(again).toEqual([
      { delivered: 0, failed: 0 },
      { delivered: 0, failed: 0 },
    ])
    expect(ids.map(sentFor)).toEqual([1, 1])
  })

  it('lands the good file whole while the same rows with a bad one are refused on the other', async () => {
    const { ids, rows } = await twoChildren('Mixed')
    const bad = [...rows, `${rows[0]!.split(',')[0]},999999,2026-09-01,2026-10-23,76,70,6,0`]
    const responses = await Promise.all([upload(onFirst, bad), upload(onSecond, rows)])
    expect(responses.map((r) => r.statusCode)).toEqual([400, 303])
    expect(responses[0]!.body).toContain('There is no school with the URN 999999')
    expect(await summary(onSecond)).toBe(
      '2 rows imported: 2 new periods, 0 corrected, 0 unchanged. 2 below the line alerted.',
    )
    const once = { periods: 1, alerts: 1, tasks: 1, deliveries: 1 }
    expect(await landed(ids)).toEqual([once, once])
  })

  it('shows the social worker each alert once, in the tray on either instance', async () => {
    const sw = new TestAgent(second)
    await sw.signIn('social.worker@example.org', DEMO_PASSWORD)
    const tray = await sw.get('/tray')
    expect(tray.statusCode).toBe(200)
    const alertsFor = (name: string) =>
      tray.body.split(
        `alert: Attendance was below 90% in the period to 23 October 2026, ${name} Raced</span>`,
      ).length - 1
    expect(['GoodA', 'GoodB', 'MixedA', 'MixedB', 'BadA', 'BadB'].map(alertsFor)).toEqual([
      1, 1, 1, 1, 0, 0,
    ])
  })
})
