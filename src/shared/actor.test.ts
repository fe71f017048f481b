import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../db/connection.ts'
import { createTestDatabase } from '../testing/database.ts'
import { makeUser } from '../testing/factories.ts'
import { audit, systemActor, type PersonActor } from './actor.ts'

/* The audit events a service writes through the actor: who, in what role, when and from where. */

let database: DatabaseHandle
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

const latest = () =>
  database.db
    .selectFrom('audit_event')
    .selectAll()
    .orderBy('occurred_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()

describe('audit through the actor', () => {
  it("records a person's change with their role, the change's instant and its origin", async () => {
    const user = await makeUser(database.db, {
      email: 'actor@example.org',
      displayName: 'An Actor',
    })
    const actor: PersonActor = {
      userId: user.id,
      role: 'vs_consultant',
      now: new Date('2026-12-01T09:30:00Z'),
      today: '2026-12-01',
      origin: {
        method: 'POST',
        path: '/trays/x',
        ip: '192.0.2.7',
        userAgent: 'agent',
        requestId: 'req-1',
      },
    }
    await audit(database.db, actor, {
      action: 'tray.task.pick-up',
      details: { taskId: 't1' },
    })
    expect(await latest()).toMatchObject({
      user_id: user.id,
      acting_role: 'vs_consultant',
      action: 'tray.task.pick-up',
      outcome: 'success',
      occurred_at: new Date('2026-12-01T09:30:00Z'),
      method: 'POST',
      path: '/trays/x',
      ip: '192.0.2.7',
      user_agent: 'agent',
      request_id: 'req-1',
      details: { taskId: 't1' },
    })
  })

  it('records what OpenPEP does by itself with no user and the system role', async () => {
    const actor = systemActor(new Date('2027-03-31T23:30:00Z'))
    expect(actor.today).toBe('2027-04-01')
    await audit(database.db, actor, { action: 'job.pep.bulk-start', outcome: 'failure' })
    expect(await latest()).toMatchObject({
      user_id: null,
      acting_role: 'system',
      outcome: 'failure',
      method: null,
      ip: null,
    })
  })
})
