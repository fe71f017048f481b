import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KyselyPlugin } from 'kysely'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { makeUser } from '../../testing/factories.ts'
import { checkCredentials } from './auth.service.ts'
import { hashPassword } from '../../shared/passwords.ts'

/*
 * Whether an address has an account must not show in how long sign-in takes, however large the
 * audit trail grows. Failures of addresses without an account used to be counted from the audit
 * trail, reading every event: at 400,000 events an unknown address took 224 ms against 48 ms for
 * a known one. They are now counted in sign_in_failure, one row per address, like an account's.
 * Here, the statements each path sends: neither reads the audit trail; each counts the failure in
 * one row and adds the failure's event.
 * The times themselves, at 400,000 events, are measured by `npm run bench:sign-in-timing`.
 */

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
  await makeUser(t.database.db, {
    email: 'timing@example.org',
    displayName: 'Timing',
    passwordHash: await hashPassword('the-right-password-2026'),
  })
})
afterAll(() => t.close())

/** The SQL of every statement checkCredentials sends for this address and a wrong password. */
async function statementsOf(email: string): Promise<string[]> {
  const db = t.database.db
  const statements: string[] = []
  const recorder: KyselyPlugin = {
    transformQuery(args) {
      statements.push(db.getExecutor().compileQuery(args.node, args.queryId).sql)
      return args.node
    },
    transformResult: async (args) => args.result,
  }
  const now = t.clock.now()
  const result = await checkCredentials(
    db.withPlugin(recorder) as Database,
    { userId: null, role: null, now, today: londonDate(now) },
    { email, password: 'a-wrong-password' },
  )
  expect(result.kind).toBe('failed')
  return statements
}

const reads = (statements: string[]) => statements.filter((s) => /^\s*select\b/i.test(s))
const writes = (statements: string[]) =>
  statements.filter((s) => /^\s*(insert|update|delete)\b/i.test(s))

describe('sign-in timing', () => {
  it('answers an address without an account as one with: no read of the audit trail, one row counted', async () => {
    const known = await statementsOf('timing@example.org')
    const unknown = await statementsOf('nobody@example.org')
    for (const [who, statements] of [
      ['with an account', known],
      ['without', unknown],
    ] as const) {
      // Each read is of one row by a unique key (the account, or the address's failures), and
      // none is of the audit trail, however long it is.
      expect(reads(statements).join('\n'), who).not.toMatch(/audit_event/)
      for (const s of reads(statements)) expect(s, who).toMatch(/"(app_user|sign_in_failure)"/)
      expect(writes(statements), who).toHaveLength(2)
      expect(writes(statements)[1], who).toMatch(/^insert into "audit_event"/)
    }
    // The failure is counted on the account, or on the address's own row.
    expect(writes(known)[0]).toMatch(/^update "app_user"/)
    expect(writes(unknown)[0]).toMatch(/^insert into "sign_in_failure"/)
    const row = await t.database.db
      .selectFrom('sign_in_failure')
      .select('failed_sign_ins')
      .executeTakeFirstOrThrow()
    expect(row.failed_sign_ins).toBe(1)
  })
})
