import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { listPlacesOfChild } from './access-list.repository.ts'
import { listAccessEntries } from '../../shared/child-access.ts'
import { linkToChild } from '../../testing/factories.ts'

let t: TestContext
let child: { id: string; last_name: string }
let carerId: string

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const carer = await t.database.db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', 'carer@example.org')
    .executeTakeFirstOrThrow()
  carerId = carer.id
  // A Harrowfield child the carer cannot see yet.
  child = await t.database.db
    .selectFrom('child')
    .innerJoin('authority', 'authority.id', 'child.authority_id')
    .select(['child.id', 'child.last_name'])
    .where('authority.code', '=', 'HFD')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('child_access')
            .select('id')
            .whereRef('child_access.child_id', '=', 'child.id')
            .where('user_id', '=', carerId),
        ),
      ),
    )
    .executeTakeFirstOrThrow()
})
afterAll(() => t.close())

describe("a child's access list", () => {
  it('lets Virtual School staff add a person, who can then see the child, and remove them, keeping the history', async () => {
    const carer = new TestAgent(t.app)
    await carer.signIn('carer@example.org', DEMO_PASSWORD)
    expect((await carer.get(`/children/${child.id}`)).statusCode).toBe(404)

    const admin = new TestAgent(t.app)
    await admin.signIn('business.support@example.org', DEMO_PASSWORD)
    const page = await admin.get(`/children/${child.id}`)
    expect(page.body).toContain(`value="${carerId}:carer"`)
    const added = await admin.post(`/children/${child.id}/access`, { person: `${carerId}:carer` })
    expect(added.statusCode).toBe(303)
    const after = await admin.get(`/children/${child.id}`)
    expect(after.body).toContain('Taylor Carer can now see this record')
    expect(after.body).toContain('Taylor Carer')

    const seen = await carer.get(`/children/${child.id}`)
    expect(seen.statusCode).toBe(200)
    expect(seen.body).toContain(child.last_name)

    const entry = await t.database.db
      .selectFrom('child_access')
      .select('id')
      .where('child_id', '=', child.id)
      .where('user_id', '=', carerId)
      .where('removed_at', 'is', null)
      .executeTakeFirstOrThrow()
    expect((await admin.post(`/children/${child.id}/access/${entry.id}/remove`)).statusCode).toBe(
      303,
    )
    expect((await carer.get(`/children/${child.id}`)).statusCode).toBe(404)
    // Removing again finds nothing to remove.
    expect((await admin.post(`/children/${child.id}/access/${entry.id}/remove`)).statusCode).toBe(
      404,
    )

    const history = await t.database.db
      .selectFrom('child_access')
      .selectAll()
      .where('id', '=', entry.id)
      .executeTakeFirstOrThrow()
    expect(history.removed_at).not.toBeNull()
    expect(history.removed_by).not.toBeNull()
    const events = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'subject_user_id', 'child_id'])
      .where('child_id', '=', child.id)
      .where('action', 'in', ['child.access.add', 'child.access.remove'])
      .orderBy('action')
      .execute()
    expect(events).toEqual([
      { action: 'child.access.add', subject_user_id: carerId, child_id: child.id },
      { action: 'child.access.remove', subject_user_id: carerId, child_id: child.id },
    ])
  })

  it('asks for a person when none, or someone not offered, is chosen', async () => {
    const admin = new TestAgent(t.app)
    await admin.signIn('vs.admin@example.org', DEMO_PASSWORD)
    await admin.get(`/children/${child.id}`)
    for (const person of ['', `${carerId}:vs_admin`, 'nonsense']) {
      const response = await admin.post(`/children/${child.id}/access`, { person })
      expect(response.statusCode).toBe(400)
      expect(response.body).toContain('<a href="#person">Select the person to add</a>')
    }
  })

  it('does not let a social worker manage the list', async () => {
    const list = await t.database.db
      .selectFrom('child_access')
      .innerJoin('app_user', 'app_user.id', 'child_access.user_id')
      .select('child_access.child_id')
      .where('app_user.email', '=', 'social.worker@example.org')
      .executeTakeFirstOrThrow()
    const sw = new TestAgent(t.app)
    await sw.signIn('social.worker@example.org', DEMO_PASSWORD)
    const page = await sw.get(`/children/${list.child_id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('Add to the list')
    const response = await sw.post(`/children/${list.child_id}/access`, {
      person: `${carerId}:carer`,
    })
    expect(response.statusCode).toBe(404)
  })
})

describe("the record's read of a child's list", () => {
  it('gives the live places that still hold, by name, and the ended ones, newest first, in one statement', async () => {
    const db = t.database.db
    const other = await db
      .selectFrom('child')
      .innerJoin('authority', 'authority.id', 'child.authority_id')
      .select('child.id')
      .where('authority.code', '=', 'HFD')
      .where('child.id', '<>', child.id)
      .where((eb) =>
        eb(
          eb
            .selectFrom('child_access')
            .select((s) => s.fn.countAll().as('n'))
            .whereRef('child_access.child_id', '=', 'child.id')
            .where('removed_at', 'is', null),
          '>=',
          2,
        ),
      )
      .orderBy('child.id')
      .executeTakeFirstOrThrow()
    const people = new Map(
      (
        await db
          .selectFrom('app_user')
          .select(['id', 'email'])
          .where('email', 'in', ['vs.admin@example.org', 'carer@example.org'])
          .execute()
      ).map((u) => [u.email, u.id]),
    )
    const admin = people.get('vs.admin@example.org')!
    const carer = people.get('carer@example.org')!
    const ended = (day: string, userId: string) =>
      linkToChild(db, {
        childId: other.id,
        userId,
        capacity: 'carer',
        addedAt: new Date('2025-09-01T09:00:00Z'),
        removedAt: new Date(`${day}T09:00:00Z`),
        removedBy: admin,
        endReason: 'placement_ended',
      })
    await ended('2026-01-05', carer)
    await ended('2026-03-05', carer)
    await ended('2026-02-05', admin)
    // A live place that no longer holds (no carer role): on neither list.
    await linkToChild(db, { childId: other.id, userId: admin, capacity: 'carer' })

    const places = await listPlacesOfChild(db, other.id)
    expect(places.current).toEqual(await listAccessEntries(db, other.id))
    expect(places.current.length).toBeGreaterThanOrEqual(2)
    expect(places.current.map((p) => p.userId)).not.toContain(admin)
    expect(places.ended.map((p) => p.removedAt.toISOString().slice(0, 10))).toEqual([
      '2026-03-05',
      '2026-02-05',
      '2026-01-05',
    ])
    expect(places.ended[0]).toMatchObject({
      displayName: 'Taylor Carer',
      capacity: 'carer',
      endReason: 'placement_ended',
    })
    expect(places.ended[0]!.removedByName).not.toBeNull()
    expect(
      (await listPlacesOfChild(db, other.id, 2)).ended.map((p) => p.removedAt.getUTCMonth()),
    ).toEqual([2, 1])
  })
})
