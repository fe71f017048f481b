import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../db/connection.ts'
import { createTestDatabase } from '../testing/database.ts'
import { dailyTime } from '../features/authority-settings/scheduled-work.presenter.ts'
import { ALL_JOBS, JOBS } from './queue.ts'
import { purgeExpired } from './purge.ts'

let database: DatabaseHandle
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

const NOW = new Date('2026-11-23T03:15:00Z')
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000)

describe('the daily purge', () => {
  it('deletes expired sessions, ended attempt counters and empty address counts, and nothing in force', async () => {
    const db = database.db
    await db
      .insertInto('web_session')
      .values([
        { sid: 'expired', user_id: null, data: '{}', expires_at: at(-1), updated_at: at(-40) },
        { sid: 'expires-now', user_id: null, data: '{}', expires_at: NOW, updated_at: at(-31) },
        { sid: 'live', user_id: null, data: '{}', expires_at: at(1), updated_at: at(-29) },
      ])
      .execute()
    await db
      .insertInto('rate_limit_counter')
      .values([
        { key: 'ended', count: 20, window_ends_at: at(-5) },
        { key: 'running', count: 3, window_ends_at: at(1) },
      ])
      .execute()
    await db
      .insertInto('sign_in_failure')
      .values([
        { email_key: 'empty', failed_sign_ins: 0, locked_until: null, updated_at: at(-600) },
        { email_key: 'lock-over', failed_sign_ins: 0, locked_until: at(-1), updated_at: at(-16) },
        { email_key: 'locked', failed_sign_ins: 0, locked_until: at(10), updated_at: at(-5) },
        { email_key: 'counting', failed_sign_ins: 3, locked_until: null, updated_at: at(-900) },
      ])
      .execute()

    expect(await purgeExpired({ db, now: NOW })).toEqual({
      sessions: 2,
      counters: 1,
      addresses: 2,
      unsavedForms: 0,
    })

    const left = async (table: 'web_session' | 'rate_limit_counter' | 'sign_in_failure') => {
      const column = {
        web_session: 'sid',
        rate_limit_counter: 'key',
        sign_in_failure: 'email_key',
      }[table]
      const rows = (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[]
      return rows.map((r) => r[column]).sort()
    }
    expect(await left('web_session')).toEqual(['live'])
    expect(await left('rate_limit_counter')).toEqual(['running'])
    expect(await left('sign_in_failure')).toEqual(['counting', 'locked'])
    expect(await purgeExpired({ db, now: NOW })).toEqual({
      sessions: 0,
      counters: 0,
      addresses: 0,
      unsavedForms: 0,
    })
  })

  it('deletes forms kept after a sign-out once their day is over, and only those', async () => {
    const db = database.db
    const kept = (token_hash: string, expires_at: Date) => ({
      token_hash,
      user_id: null,
      path: '/children/x/peps/y/pages/z',
      sealed: 'sealed',
      created_at: new Date(expires_at.getTime() - 86_400_000),
      expires_at,
    })
    await db
      .insertInto('unsaved_form')
      .values([kept('over', at(-1)), kept('ends-now', NOW), kept('today', at(1))])
      .execute()
    expect((await purgeExpired({ db, now: NOW })).unsavedForms).toBe(2)
    const left = await db.selectFrom('unsaved_form').select('token_hash').execute()
    expect(left.map((r) => r.token_hash)).toEqual(['today'])
  })

  it('runs daily in the job queue, and not on the authorities’ Scheduled work page', () => {
    const job = ALL_JOBS.find((j) => j.name === 'purge-expired')
    expect(job).toBeDefined()
    expect(dailyTime(job!.cron)).toEqual({ hour: 3, minute: 15 })
    expect(JOBS.some((j) => j.name === 'purge-expired')).toBe(false)
  })
})
