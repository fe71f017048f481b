import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { openSecret, parseMfaKeys, sealSecret } from '../../shared/secrets.ts'
import { CLIENT_SECRET_PURPOSE, rotateProviderSecrets } from './providers.service.ts'
import { insertProvider } from './sso.repository.ts'

/*
 * An authority's single sign-on settings through HTTP on a real database: only its own Virtual
 * School administrators, each field checked with the input kept, the secret sealed at rest and
 * never shown or audited, a domain taken by another authority refused, everything audited.
 */

let t: TestContext
let harrowfield: string
let eastmere: string
let admin: TestAgent

const SSO = '/admin/settings/single-sign-on'
const url = (path: string, authority = harrowfield) => `${path}?authority=${authority}`
const GOOD = {
  name: 'Harrowfield staff account',
  issuer: 'https://login.harrowfield.example/tenant/v2.0',
  clientId: 'openpep-harrowfield',
  clientSecret: 'a-very-secret-value-0001',
  domains: 'Harrowfield.example, @schools.harrowfield.example',
}

async function agent(email: string): Promise<TestAgent> {
  const a = new TestAgent(t.app)
  await a.signIn(email, DEMO_PASSWORD)
  return a
}

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const authorities = await t.database.db.selectFrom('authority').select(['id', 'code']).execute()
  harrowfield = authorities.find((a) => a.code === 'HFD')!.id
  eastmere = authorities.find((a) => a.code === 'EMR')!.id
  admin = await agent('vs.admin@example.org')
})
afterAll(() => t.close())

describe('single sign-on settings', () => {
  it('is linked from the settings overview and says there is no provider yet', async () => {
    expect((await admin.get(url('/admin/settings'))).body).toContain(
      `href="${SSO}?authority=${harrowfield}"`,
    )
    const page = await admin.get(url(SSO))
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('has no single sign-on provider')
    expect(page.body).toContain('http://localhost:3000/sign-in/single-sign-on/callback')
  })

  it('refuses each bad field by name, keeping what was typed (never the secret)', async () => {
    await admin.get(url(`${SSO}/providers/new`))
    const bad = await admin.post(url(`${SSO}/providers/new`), {
      name: '',
      issuer: 'http://login.example.org',
      clientId: ' ',
      clientSecret: '',
      domains: 'harrowfield.example, not_a domain',
    })
    expect(bad.statusCode).toBe(400)
    for (const text of [
      'Enter the name people will see',
      'The issuer URL must start with https://',
      'Enter the client ID',
      'Enter the client secret',
      'is not one',
    ])
      expect(bad.body).toContain(text)
    expect(bad.body).toContain('value="http://login.example.org"')
  })

  it('adds a provider with its secret sealed, shown on the overview without the secret', async () => {
    await admin.get(url(`${SSO}/providers/new`))
    const added = await admin.post(url(`${SSO}/providers/new`), GOOD)
    expect(added.statusCode).toBe(303)
    const row = await t.database.db
      .selectFrom('oidc_provider')
      .selectAll()
      .where('authority_id', '=', harrowfield)
      .executeTakeFirstOrThrow()
    expect(row.client_secret_sealed).not.toContain(GOOD.clientSecret)
    expect(
      openSecret(t.config.mfaKeys, row.id, row.client_secret_sealed, CLIENT_SECRET_PURPOSE),
    ).toBe(GOOD.clientSecret)
    const page = await admin.get(url(SSO))
    expect(page.body).toContain('Harrowfield staff account added')
    expect(page.body).toContain('harrowfield.example, schools.harrowfield.example')
    expect(page.body).not.toContain(GOOD.clientSecret)
    const events = await t.database.db
      .selectFrom('audit_event')
      .select(['details', 'authority_id'])
      .where('action', '=', 'authority.sso.provider-added')
      .execute()
    expect(events).toHaveLength(1)
    expect(events[0]!.authority_id).toBe(harrowfield)
    expect(JSON.stringify(events[0]!.details)).not.toContain(GOOD.clientSecret)
  })

  it('changes a provider keeping the secret when left blank, and refuses a domain another authority has', async () => {
    const provider = await t.database.db
      .selectFrom('oidc_provider')
      .select(['id', 'client_secret_sealed'])
      .where('authority_id', '=', harrowfield)
      .executeTakeFirstOrThrow()
    const path = `${SSO}/providers/${provider.id}`
    const form = await admin.get(path)
    expect(form.statusCode).toBe(200)
    expect(form.body).not.toContain(GOOD.clientSecret)
    const saved = await admin.post(path, { ...GOOD, name: 'Harrowfield Council', clientSecret: '' })
    expect(saved.statusCode).toBe(303)
    const after = await t.database.db
      .selectFrom('oidc_provider')
      .select(['name', 'client_secret_sealed'])
      .where('id', '=', provider.id)
      .executeTakeFirstOrThrow()
    expect(after).toEqual({
      name: 'Harrowfield Council',
      client_secret_sealed: provider.client_secret_sealed,
    })

    const eastmereAdmin = await agent('eastmere.admin@example.org')
    await eastmereAdmin.get(url(`${SSO}/providers/new`, eastmere))
    const taken = await eastmereAdmin.post(url(`${SSO}/providers/new`, eastmere), {
      ...GOOD,
      domains: 'eastmere.example, harrowfield.example',
    })
    expect(taken.statusCode).toBe(400)
    expect(taken.body).toContain('harrowfield.example already signs in through another provider')
  })

  it('answers Page not found to another authority’s administrator, and 403 to other roles', async () => {
    const provider = await t.database.db
      .selectFrom('oidc_provider')
      .select('id')
      .where('authority_id', '=', harrowfield)
      .executeTakeFirstOrThrow()
    const eastmereAdmin = await agent('eastmere.admin@example.org')
    expect((await eastmereAdmin.get(`${SSO}/providers/${provider.id}`)).statusCode).toBe(404)
    expect((await eastmereAdmin.get(url(SSO))).statusCode).toBe(404)
    await eastmereAdmin.get(url(SSO, eastmere))
    expect(
      (await eastmereAdmin.post(`${SSO}/providers/${provider.id}/remove`, {})).statusCode,
    ).toBe(404)
    const head = await agent('vs.head@example.org')
    expect((await head.get(url(SSO))).statusCode).toBe(403)
  })

  it('switches passwords off and on, audited with the old and new value', async () => {
    await admin.get(url(`${SSO}/passwords`))
    expect((await admin.post(url(`${SSO}/passwords`), {})).statusCode).toBe(400)
    expect((await admin.post(url(`${SSO}/passwords`), { passwordsAllowed: 'no' })).statusCode).toBe(
      303,
    )
    expect((await admin.get(url(SSO))).body).toContain('sign in only through their provider')
    const event = await t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'authority.sso.passwords-changed')
      .executeTakeFirstOrThrow()
    expect(event.details).toEqual({ before: true, after: false })
  })

  it('lets the administrator allow accounts on first sign-in, audited, with an error naming the field', async () => {
    const page = await admin.get(url(`${SSO}/passwords`))
    expect(page.body).toContain('name="accountsOnFirstSignIn" type="radio" value="no" checked')
    const bad = await admin.post(url(`${SSO}/passwords`), {
      passwordsAllowed: 'yes',
      accountsOnFirstSignIn: 'maybe',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('href="#accountsOnFirstSignIn"')
    expect(bad.body).toContain('value="yes" checked')
    const saved = await admin.post(url(`${SSO}/passwords`), {
      passwordsAllowed: 'no',
      accountsOnFirstSignIn: 'yes',
    })
    expect(saved.statusCode).toBe(303)
    const row = await t.database.db
      .selectFrom('authority_sign_in')
      .select(['passwords_allowed', 'accounts_on_first_sign_in'])
      .where('authority_id', '=', harrowfield)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ passwords_allowed: false, accounts_on_first_sign_in: true })
    const event = await t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'authority.sso.accounts-changed')
      .executeTakeFirstOrThrow()
    expect(event.details).toEqual({ before: false, after: true })
    // A form without the question keeps it as it is.
    await admin.get(url(`${SSO}/passwords`))
    await admin.post(url(`${SSO}/passwords`), { passwordsAllowed: 'no' })
    expect(
      (
        await t.database.db
          .selectFrom('authority_sign_in')
          .select('accounts_on_first_sign_in')
          .where('authority_id', '=', harrowfield)
          .executeTakeFirstOrThrow()
      ).accounts_on_first_sign_in,
    ).toBe(true)
  })

  it('removes a provider', async () => {
    const provider = await t.database.db
      .selectFrom('oidc_provider')
      .select('id')
      .where('authority_id', '=', harrowfield)
      .executeTakeFirstOrThrow()
    await admin.get(`${SSO}/providers/${provider.id}`)
    expect((await admin.post(`${SSO}/providers/${provider.id}/remove`, {})).statusCode).toBe(303)
    const left = await t.database.db.selectFrom('oidc_provider_domain').selectAll().execute()
    expect(left).toEqual([])
  })
})

describe('rotating the encryption key', () => {
  it('re-seals each provider’s secret under the new first key, and counts one it cannot open', async () => {
    const old = t.config.mfaKeys
    const id = crypto.randomUUID()
    await insertProvider(t.database.db, {
      id,
      authorityId: eastmere,
      name: 'Eastmere staff account',
      issuer: 'https://login.eastmere.example',
      clientId: 'openpep',
      clientSecretSealed: sealSecret(old, id, 'eastmere-secret-value', CLIENT_SECRET_PURPOSE),
      domains: ['rotate.eastmere.example'],
      now: new Date(),
      by: null,
    })
    const fresh = Buffer.alloc(32, 7).toString('base64')
    const oldKey = old.current.key.toString('base64')
    const both = parseMfaKeys(`k2:${fresh},${old.current.id}:${oldKey}`)
    expect(await rotateProviderSecrets(t.database.db, both)).toEqual({ rotated: 1, unreadable: 0 })
    const row = await t.database.db
      .selectFrom('oidc_provider')
      .select('client_secret_sealed')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.client_secret_sealed.startsWith('k2:')).toBe(true)
    const onlyNew = parseMfaKeys(`k2:${fresh}`)
    expect(openSecret(onlyNew, id, row.client_secret_sealed, CLIENT_SECRET_PURPOSE)).toBe(
      'eastmere-secret-value',
    )
    expect(await rotateProviderSecrets(t.database.db, onlyNew)).toEqual({
      rotated: 0,
      unreadable: 0,
    })
    const other = parseMfaKeys(`k3:${Buffer.alloc(32, 9).toString('base64')}`)
    expect(await rotateProviderSecrets(t.database.db, other)).toEqual({ rotated: 0, unreadable: 1 })
  })
})
