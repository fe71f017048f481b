import { afterAll, beforeAll, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { DatabaseHandle } from '../connection.ts'
import { createTestDatabase } from '../../testing/database.ts'
import * as migration from './2026_11_30_1101_child_access_end_reason.ts'

/*
 * The migration that gave places on access lists a reason for ending also ends the places it
 * finds lapsed (ADR 8): run here on a database as it was before it, with one place of each kind.
 */

let handle: DatabaseHandle
beforeAll(async () => {
  // As the owner: the migration's down and up change the table, which the app's role may not.
  handle = await createTestDatabase({ as: 'owner' })
})
afterAll(() => handle.close())

it('ends, as lapsed, the places that no longer rest on anything, and keeps the rest', async () => {
  const db = handle.db
  await migration.down(db as never)
  const authority = await db
    .insertInto('authority')
    .values({ name: 'Lapsefield', code: 'LPS' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const [schoolA, schoolB] = await db
    .insertInto('school')
    .values(
      ['A', 'B'].map((n) => ({
        authority_id: authority.id,
        name: `School ${n}`,
        type: 'academy',
        phase: 'secondary',
      })),
    )
    .returning('id')
    .execute()
  const child = await db
    .insertInto('child')
    .values({
      authority_id: authority.id,
      first_name: 'Sam',
      last_name: 'Lapse',
      date_of_birth: '2012-01-01',
      gender: 'female',
      case_reference: 'LPS-1',
      entered_care_on: '2020-01-01',
      school_id: schoolB!.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const people: Record<string, { status: string; role?: string; school?: string }> = {
    holds: { status: 'active', role: 'social_worker' },
    noRole: { status: 'active' },
    deactivated: { status: 'deactivated', role: 'social_worker' },
    oldSchool: { status: 'active', role: 'designated_teacher', school: schoolA!.id },
    thisSchool: { status: 'active', role: 'designated_teacher', school: schoolB!.id },
  }
  const ids: Record<string, string> = {}
  for (const [name, p] of Object.entries(people)) {
    const user = await db
      .insertInto('app_user')
      .values({
        email: `${name}@example.org`,
        display_name: name,
        status: p.status as 'active',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids[name] = user.id
    if (p.role)
      await db
        .insertInto('membership')
        .values({
          user_id: user.id,
          authority_id: authority.id,
          role: p.role,
          school_id: p.school ?? null,
        })
        .execute()
    await sql`insert into child_access (child_id, user_id, capacity) values (${child.id}, ${user.id}, ${p.role ?? 'social_worker'})`.execute(
      db,
    )
  }
  await migration.up(db as never)
  const rows = await db
    .selectFrom('child_access')
    .select(['user_id', 'removed_at', 'end_reason'])
    .execute()
  const byName = Object.fromEntries(
    Object.entries(ids).map(([name, id]) => [name, rows.find((r) => r.user_id === id)!]),
  )
  expect(byName.holds).toMatchObject({ removed_at: null, end_reason: null })
  expect(byName.thisSchool).toMatchObject({ removed_at: null, end_reason: null })
  for (const name of ['noRole', 'deactivated', 'oldSchool']) {
    expect(byName[name]!.end_reason, name).toBe('lapsed')
    expect(byName[name]!.removed_at, name).not.toBeNull()
  }
})
