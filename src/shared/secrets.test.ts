import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generate } from 'otplib'
import { sql } from 'kysely'
import { loadConfig } from '../config.ts'
import { createTestApp, type TestContext } from '../testing/app.ts'
import { TestAgent } from '../testing/agent.ts'
import { DEMO_PASSWORD } from '../db/seed.ts'
import { setSetting } from './settings.ts'
import {
  DEVELOPMENT_MFA_KEY,
  encryptStoredMfaSecrets,
  openSecret,
  parseMfaKeys,
  sealSecret,
  sealedKeyId,
} from './secrets.ts'

const key = () => randomBytes(32).toString('base64')
const K1 = key()
const K2 = key()
const USER = '6f1c2d3e-0000-4000-8000-00000000000a'
const OTHER_USER = '6f1c2d3e-0000-4000-8000-00000000000b'
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

describe('encrypting authenticator secrets (AES-256-GCM)', () => {
  it('round-trips, stored as key id, iv, tag and ciphertext, never the secret', () => {
    const keys = parseMfaKeys(`k1:${K1}`)
    const stored = sealSecret(keys, USER, SECRET)
    expect(stored).toMatch(/^k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/)
    expect(stored).not.toContain(SECRET)
    expect(sealedKeyId(stored)).toBe('k1')
    expect(sealedKeyId(SECRET)).toBeUndefined()
    expect(openSecret(keys, USER, stored)).toBe(SECRET)
    // A new IV each time: the same secret never looks the same twice.
    expect(sealSecret(keys, USER, SECRET)).not.toBe(stored)
  })

  it('rotates: the first key encrypts, every listed key decrypts, a key taken away does not', () => {
    const before = parseMfaKeys(`k1:${K1}`)
    const old = sealSecret(before, USER, SECRET)
    const rotated = parseMfaKeys(`k2:${K2}, k1:${K1}`)
    expect(openSecret(rotated, USER, old)).toBe(SECRET)
    const fresh = sealSecret(rotated, USER, SECRET)
    expect(sealedKeyId(fresh)).toBe('k2')
    expect(openSecret(rotated, USER, fresh)).toBe(SECRET)
    const retired = parseMfaKeys(`k2:${K2}`)
    expect(openSecret(retired, USER, fresh)).toBe(SECRET)
    expect(() => openSecret(retired, USER, old)).toThrow(/key "k1", which MFA_ENCRYPTION_KEYS/)
  })

  it('refuses a tampered value: ciphertext, tag or iv changed, another key, another user', () => {
    const keys = parseMfaKeys(`k2:${K2},k1:${K1}`)
    const stored = sealSecret(keys, USER, SECRET)
    const [id, iv, tag, ciphertext] = stored.split(':') as [string, string, string, string]
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64url')
      bytes[0] = bytes[0]! ^ 1
      return bytes.toString('base64url')
    }
    const tampered = [
      [id, iv, tag, flip(ciphertext)],
      [id, iv, flip(tag), ciphertext],
      [id, flip(iv), tag, ciphertext],
      ['k1', iv, tag, ciphertext],
      [id, iv, tag.slice(0, 10), ciphertext],
    ].map((parts) => parts.join(':'))
    for (const value of tampered) expect(() => openSecret(keys, USER, value), value).toThrow()
    // Copied to another account, it does not decrypt there.
    expect(() => openSecret(keys, OTHER_USER, stored)).toThrow(/integrity check/)
    // A plain secret is never taken as a stored one.
    expect(() => openSecret(keys, USER, SECRET)).toThrow(/not encrypted/)
  })

  it('reads MFA_ENCRYPTION_KEYS strictly, naming the setting and never the key', () => {
    const wrong = [
      '',
      'k1',
      `:${K1}`,
      'k1:c2hvcnQ=',
      `k 1:${K1}`,
      `k1:${K1},k1:${K2}`,
      `k1:${K1.slice(0, -4)}!!!!`,
    ]
    for (const value of wrong) {
      expect(() => loadConfig({ MFA_ENCRYPTION_KEYS: value }), value).toThrow(
        /Invalid configuration: MFA_ENCRYPTION_KEYS /,
      )
      try {
        loadConfig({ MFA_ENCRYPTION_KEYS: value })
      } catch (err) {
        expect((err as Error).message).not.toContain(K1)
      }
    }
    expect(loadConfig({ MFA_ENCRYPTION_KEYS: `k2:${K2},k1:${K1}` }).mfaKeys.current.id).toBe('k2')
  })

  it('uses a fixed development key in development, and production refuses it or no key', () => {
    expect(loadConfig({}).mfaKeys.current).toEqual(DEVELOPMENT_MFA_KEY)
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u@db/openpep',
      SESSION_SECRET: randomBytes(48).toString('base64'),
      SMTP_URL: 'smtp://mail.example.org',
      BASE_URL: 'https://pep.example.org',
      TRUST_PROXY: 'loopback',
    }
    expect(() => loadConfig(production)).toThrow(/MFA_ENCRYPTION_KEYS is required in production/)
    const development = `dev:${DEVELOPMENT_MFA_KEY.key.toString('base64')}`
    for (const value of [development, `k2:${K2},${development}`])
      expect(() => loadConfig({ ...production, MFA_ENCRYPTION_KEYS: value })).toThrow(
        /MFA_ENCRYPTION_KEYS holds the development key, which is public/,
      )
    expect(loadConfig({ ...production, MFA_ENCRYPTION_KEYS: `k1:${K1}` }).mfaKeys.current.id).toBe(
      'k1',
    )
  })
})

describe('authenticator secrets in the database', () => {
  let t: TestContext
  beforeAll(async () => {
    t = await createTestApp({ env: { MFA_ENCRYPTION_KEYS: `k2:${K2},k1:${K1}` }, seed: 'demo' })
    await setSetting(t.database.db, 'mfaRequiredForStaff', true, t.clock.now())
    // Set-up changed with issue 13: the demo's accounts skip two-step verification; these tests
    // are about the accounts that do not, so they are made ordinary accounts.
    await t.database.db.updateTable('app_user').set({ demo_account: false }).execute()
  })
  afterAll(() => t.close())

  const totp = (secret: string) =>
    generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) })
  const userRow = (email: string) =>
    t.database.db
      .selectFrom('app_user')
      .select(['id', 'mfa_secret'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
  /** Every session row's data, as text. */
  const sessionsText = async () =>
    JSON.stringify(await t.database.db.selectFrom('web_session').selectAll().execute())

  it('never holds the plain secret, in app_user or in the session while it is set up', async () => {
    const email = 'vs.head@example.org'
    const agent = new TestAgent(t.app)
    await agent.signIn(email, DEMO_PASSWORD)
    const page = await agent.get('/account/two-step-verification')
    const secret = /id="secret">([A-Z2-7 ]+)</.exec(page.body)?.[1]?.replaceAll(' ', '') ?? ''
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    // Half-way: the secret waits in the session row, encrypted.
    expect(await sessionsText()).not.toContain(secret)
    const done = await agent.post('/account/two-step-verification', { code: await totp(secret) })
    expect(done.statusCode).toBe(303)

    const { id, mfa_secret: stored } = await userRow(email)
    expect(stored).not.toBeNull()
    expect(stored).not.toContain(secret)
    expect(sealedKeyId(stored!)).toBe('k2')
    expect(openSecret(t.config.mfaKeys, id, stored!)).toBe(secret)
    expect(await sessionsText()).not.toContain(secret)

    // Signing in again decrypts it: a code from the app works.
    t.clock.advance(60_000)
    const again = new TestAgent(t.app)
    expect((await again.signIn(email, DEMO_PASSWORD)).headers.location).toBe(
      '/sign-in/security-code',
    )
    await again.get('/sign-in/security-code')
    const signedIn = await again.post('/sign-in/security-code', { code: await totp(secret) })
    expect(signedIn.statusCode).toBe(303)
    expect((await again.get('/')).statusCode).toBe(200)
  })

  it('encrypts secrets stored plain before, and re-encrypts old keys’ under the first, at start', async () => {
    const plainUser = await userRow('vs.consultant@example.org')
    const oldKeyUser = await userRow('business.support@example.org')
    const underK1 = sealSecret(parseMfaKeys(`k1:${K1}`), oldKeyUser.id, SECRET)
    await t.database.db
      .updateTable('app_user')
      .set({ mfa_secret: SECRET, mfa_enabled_at: t.clock.now() })
      .where('id', '=', plainUser.id)
      .execute()
    await t.database.db
      .updateTable('app_user')
      .set({ mfa_secret: underK1, mfa_enabled_at: t.clock.now() })
      .where('id', '=', oldKeyUser.id)
      .execute()

    const result = await encryptStoredMfaSecrets(t.database.db, t.config.mfaKeys)
    expect(result).toEqual({ encrypted: 1, rotated: 1, unreadable: 0 })
    // Nothing left to do the second time.
    expect(await encryptStoredMfaSecrets(t.database.db, t.config.mfaKeys)).toEqual({
      encrypted: 0,
      rotated: 0,
      unreadable: 0,
    })
    for (const user of [plainUser, oldKeyUser]) {
      const { mfa_secret: stored } = await userRow(
        user === plainUser ? 'vs.consultant@example.org' : 'business.support@example.org',
      )
      expect(sealedKeyId(stored!)).toBe('k2')
      expect(openSecret(t.config.mfaKeys, user.id, stored!)).toBe(SECRET)
    }
    // No column of app_user holds a plain secret.
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from app_user where mfa_secret ~ '^[A-Z2-7]+$'`.execute(
      t.database.db,
    )
    expect(rows[0]!.n).toBe(0)

    // The one that was plain signs in with its code.
    t.clock.advance(60_000)
    const agent = new TestAgent(t.app)
    await agent.signIn('vs.consultant@example.org', DEMO_PASSWORD)
    await agent.get('/sign-in/security-code')
    const signedIn = await agent.post('/sign-in/security-code', { code: await totp(SECRET) })
    expect(signedIn.statusCode).toBe(303)
    expect((await agent.get('/')).statusCode).toBe(200)
  })

  it('refuses a tampered stored secret rather than using it', async () => {
    const { id, mfa_secret: stored } = await userRow('vs.consultant@example.org')
    const [keyId, iv, tag] = stored!.split(':') as [string, string, string]
    const other = sealSecret(t.config.mfaKeys, id, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
    // The attacker's own ciphertext with the old tag: GCM refuses it.
    const forged = [keyId, iv, tag, other.split(':')[3]].join(':')
    expect(forged).not.toBe(stored)
    await t.database.db
      .updateTable('app_user')
      .set({ mfa_secret: forged })
      .where('id', '=', id)
      .execute()
    t.clock.advance(60_000)
    const agent = new TestAgent(t.app)
    await agent.signIn('vs.consultant@example.org', DEMO_PASSWORD)
    // Refused (an error page, logged), never a sign-in with the forged secret.
    expect((await agent.get('/sign-in/security-code')).statusCode).toBe(500)
    expect((await agent.get('/')).statusCode).toBe(302)
  })
})
