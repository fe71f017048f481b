import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../testing/app.ts'
import { TestAgent } from '../testing/agent.ts'
import { hashPassword } from '../shared/passwords.ts'
import { getSetting } from '../shared/settings.ts'
import { DEMO_PASSWORD, demoRefusedInProduction, holdsData, seedDemo } from './seed.ts'

/*
 * The demo is fictional data with published passwords. It goes only into a database that holds
 * nothing else, it changes no setting of the installation, and production will not run with it.
 */

/*
 * Seeding costs more CPU than anything else here, so it is done once, in the first test: the
 * others that need the demo take a copy of the run's seeded template (seedDemo at TEST_NOW, as
 * the first test does).
 */
let t: TestContext
afterEach(() => t.close())

const count = async (table: 'authority' | 'app_user' | 'child') =>
  Number(
    (
      await t.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('the demo seed', () => {
  it('seeds an empty database, marking its accounts as demo accounts and changing no setting', async () => {
    t = await createTestApp()
    expect(await demoRefusedInProduction(t.database.db, 'production')).toBeNull()
    expect(await seedDemo(t.database.db, t.clock.now())).toBe('seeded')
    expect(await getSetting(t.database.db, 'mfaRequiredForStaff')).toBe(true)
    const settings = await t.database.db.selectFrom('app_setting').selectAll().execute()
    expect(settings).toEqual([])
    const users = await t.database.db.selectFrom('app_user').select('demo_account').execute()
    expect(users.length).toBeGreaterThan(10)
    expect(users.every((u) => u.demo_account)).toBe(true)
    expect(await seedDemo(t.database.db, t.clock.now())).toBe('already-seeded')
  })

  it('adds nothing to a database that holds real data', async () => {
    t = await createTestApp()
    const authority = await t.database.db
      .insertInto('authority')
      .values({ code: 'RLC', name: 'A Real Council' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await t.database.db
      .insertInto('app_user')
      .values({
        email: 'admin@real.example',
        display_name: 'Real Admin',
        password_hash: await hashPassword('a-real-password-2026'),
      })
      .execute()
    expect(authority.id).toBeTruthy()
    expect(await holdsData(t.database.db)).toBe(true)
    expect(await seedDemo(t.database.db, t.clock.now())).toBe('holds-data')
    expect([await count('authority'), await count('app_user'), await count('child')]).toEqual([
      1, 1, 0,
    ])
    expect(await demoRefusedInProduction(t.database.db, 'production')).toBeNull()
  })

  it('lets demo accounts alone skip two-step verification, with the setting on', async () => {
    t = await createTestApp({ seed: 'demo' })
    const demo = new TestAgent(t.app)
    await demo.get('/sign-in')
    const signedIn = await demo.post('/sign-in', {
      email: 'vs.admin@example.org',
      password: DEMO_PASSWORD,
    })
    expect(signedIn.headers.location).toBe('/')
    // The same role on an account that is not the demo's is asked to set it up.
    await t.database.db
      .updateTable('app_user')
      .set({ demo_account: false })
      .where('email', '=', 'vs.head@example.org')
      .execute()
    const real = new TestAgent(t.app)
    await real.get('/sign-in')
    const asked = await real.post('/sign-in', {
      email: 'vs.head@example.org',
      password: DEMO_PASSWORD,
    })
    expect(asked.headers.location).toBe('/account/two-step-verification')
  })

  // "Nothing else": an empty database and one of real data pass (the two tests above).
  it('refuses production on a database with demo accounts, and nothing else', async () => {
    t = await createTestApp({ seed: 'demo' })
    expect(await demoRefusedInProduction(t.database.db, 'production')).toMatch(
      /production does not start/,
    )
    expect(await demoRefusedInProduction(t.database.db, 'development')).toBeNull()
  })
})
