import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { WebhookEvent } from '../../domain/api-scopes.ts'
import type { ApiScope } from '../../domain/api-scopes.ts'
import { sendReminders } from '../../jobs/reminders.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { makeChild, makePep } from '../../testing/factories.ts'
import { addChild, addPep, delegate, makeWorld, type JobWorld } from '../../testing/job-fixtures.ts'
import { addAttendance, importAttendance } from '../attendance/attendance.service.ts'
import {
  authorityIds,
  makeClient,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../testing/api.ts'
import { deliverDueWebhooks, registerWebhook } from './webhooks.service.ts'

/*
 * The webhook events raised where their alerts are (issue 22, ADR 12), each sent to a real
 * node:http receiver: a PEP signed off through the pages, a PEP's school part overdue (the daily
 * reminders' escalation, once per PEP however often the job runs), a period's attendance below the
 * authority's line (once per child and period, on the form and in an import). Ids only, and only
 * to clients whose scopes cover the event.
 */

let t: TestContext
let receiver: WebhookReceiver
let hookUrl = ''
let received: WebhookReceiver['received']

const deliver = (now = t.clock.now()) =>
  deliverDueWebhooks({
    db: t.database.db,
    now,
    keyring: t.config.mfaKeys,
    allowLoopback: true,
  })

async function adminId() {
  const row = await t.database.db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', 'vs.admin@example.org')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A client of the authority with these scopes and a webhook for these events. */
async function hooked(authorityId: string, scopes: ApiScope[], events: WebhookEvent[]) {
  const client = await makeClient(t, authorityId, scopes, `Client ${scopes.join(' ')}`)
  const now = t.clock.now()
  await registerWebhook(
    t.database.db,
    { userId: await adminId(), role: 'vs_admin', now, today: londonDate(now) },
    { authorityId, clientId: client.id, url: hookUrl, events, keyring: t.config.mfaKeys },
  )
  return client.id
}

const queued = (type: WebhookEvent) =>
  t.database.db
    .selectFrom('api_webhook_delivery as d')
    .innerJoin('api_webhook as w', 'w.id', 'd.webhook_id')
    .select(['w.client_id as clientId', 'd.payload'])
    .where('d.event_type', '=', type)
    .orderBy('d.created_at')
    .orderBy('d.id')
    .execute()

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo', env: { WEBHOOK_LOOPBACK_HTTP: 'allow' } })
  receiver = await startWebhookReceiver()
  hookUrl = receiver.url
  received = receiver.received
})
afterAll(async () => {
  await receiver.close()
  await t.close()
})

describe('webhook events', () => {
  it('a PEP signed off through the pages fires pep.signed-off to the receiver', async () => {
    const ids = await authorityIds(t)
    const db = t.database.db
    await hooked(ids.HFD!, ['peps:read'], ['pep.signed-off'])
    const childId = await makeChild(db, {
      authorityId: ids.HFD!,
      firstName: 'Odalys',
      lastName: 'Signoffer',
      caseReference: 'HFD-HOOK-SIGN',
    })
    const pepId = await makePep(db, { childId, state: 'awaiting_qa', meetingOn: '2026-11-20' })
    await db
      .updateTable('pep')
      .set({ meeting_confirmed_at: t.clock.now() })
      .where('id', '=', pepId)
      .execute()
    await db
      .insertInto('pep_section')
      .values({ pep_id: pepId, section_id: 'D', completed_by: null, completed_at: t.clock.now() })
      .execute()
    const vs = new TestAgent(t.app)
    await vs.signIn('vs.consultant@example.org', DEMO_PASSWORD)
    const action = `/children/${childId}/peps/${pepId}/actions/sign-off`
    expect((await vs.get(action)).statusCode).toBe(200)
    expect((await vs.post(action, {})).statusCode).toBe(303)

    received.length = 0
    expect(await deliver()).toEqual({ delivered: 1, failed: 0 })
    expect(received).toEqual([
      expect.objectContaining({ type: 'pep.signed-off', data: { pepId, childId } }),
    ])
  })

  it('a PEP overdue fires pep.overdue once, however often the job runs, within the scopes', async () => {
    const world: JobWorld = await makeWorld(t.database.db, 'HOOKOVD')
    const childId = await addChild(t.database.db, world)
    const pepId = await addPep(t.database.db, world, childId, {
      term: { academicYear: 2026, name: 'autumn' },
      meetingOn: '2026-12-09',
    })
    await delegate(t.database.db, world, pepId, '2026-12-23')
    const reader = await hooked(world.authorityId, ['peps:read'], ['pep.overdue'])
    const other = await hooked(world.authorityId, ['peps:read'], ['pep.signed-off'])
    const childrenOnly = await hooked(world.authorityId, ['children:read'], ['child.changed'])
    const run = (date: string) =>
      sendReminders({
        db: t.database.db,
        now: new Date(`${date}T06:00:00Z`),
        baseUrl: 'https://pep.example.org',
      })

    await run('2026-12-23')
    expect(await queued('pep.overdue')).toEqual([])
    // Overdue: the social worker's alert, then (five working days on) the Virtual School's task.
    await run('2026-12-24')
    await run('2026-12-24')
    await run('2027-01-04')
    await run('2027-01-05')
    const rows = await queued('pep.overdue')
    expect(rows).toHaveLength(1)
    expect(rows[0]!.clientId).toBe(reader)
    expect(rows[0]!.payload).toMatchObject({ type: 'pep.overdue', data: { pepId, childId } })
    expect(JSON.stringify(rows[0]!.payload)).not.toContain('Child')
    expect([other, childrenOnly]).not.toContain(rows[0]!.clientId)

    received.length = 0
    expect(await deliver(new Date('2027-01-05T06:01:00Z'))).toEqual({ delivered: 1, failed: 0 })
    expect(received).toEqual([
      expect.objectContaining({ type: 'pep.overdue', data: { pepId, childId } }),
    ])
  })

  it('attendance below the line fires once per child and period, on the form and in an import', async () => {
    const world = await makeWorld(t.database.db, 'HOOKATT')
    const childId = await addChild(t.database.db, world)
    const second = await addChild(t.database.db, world)
    const reader = await hooked(
      world.authorityId,
      ['children:read'],
      ['child.attendance-below-threshold'],
    )
    // peps:read alone cannot be sent attendance: the event needs children:read.
    await hooked(world.authorityId, ['peps:read'], ['pep.overdue'])
    const now = t.clock.now()
    const actor = {
      userId: world.socialWorker.id,
      role: 'social_worker' as const,
      now,
      today: londonDate(now),
    }
    const below = {
      startsOn: '2026-09-01',
      endsOn: '2026-10-23',
      possible: 100,
      attended: 80,
      authorised: 15,
      unauthorised: 5,
    }
    expect((await addAttendance(t.database.db, actor, { childId, period: below })).ok).toBe(true)
    expect((await queued('child.attendance-below-threshold')).map((r) => r.payload)).toEqual([
      expect.objectContaining({ data: { childId } }),
    ])
    // The same period in a file (unchanged), twice; the second child's below the line: one more.
    const rows = [childId, second].map((id) => ({
      ...below,
      childId: id,
      schoolId: world.schoolId,
    }))
    await importAttendance(t.database.db, actor, world.authorityId, rows)
    await importAttendance(t.database.db, actor, world.authorityId, rows)
    const all = await queued('child.attendance-below-threshold')
    expect(all).toHaveLength(2)
    expect(all.map((r) => [r.clientId, (r.payload as { data: object }).data])).toEqual(
      expect.arrayContaining([
        [reader, { childId }],
        [reader, { childId: second }],
      ]),
    )
    // At the line (90%): nothing.
    const third = await addChild(t.database.db, world)
    await addAttendance(t.database.db, actor, {
      childId: third,
      period: { ...below, attended: 90, authorised: 5 },
    })
    expect(await queued('child.attendance-below-threshold')).toHaveLength(2)

    received.length = 0
    expect(await deliver()).toEqual({ delivered: 2, failed: 0 })
    expect(received.map((r) => r.type)).toEqual([
      'child.attendance-below-threshold',
      'child.attendance-below-threshold',
    ])
  })
})
