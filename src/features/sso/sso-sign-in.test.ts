import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { hashPassword } from '../../shared/passwords.ts'
import { sealSecret } from '../../shared/secrets.ts'
import { TestAgent } from '../../testing/agent.ts'
import { createTestApp, TEST_NOW, type TestContext } from '../../testing/app.ts'
import { makeAuthority, makeUser } from '../../testing/factories.ts'
import {
  TEST_ACR,
  startIdentityProvider,
  type TestIdentityProvider,
} from '../../testing/oidc-provider.ts'
import { CLIENT_SECRET_PURPOSE } from './oidc.client.ts'
import { insertProvider, saveSignInSettings } from './sso.repository.ts'

/*
 * Signing in through an authority's OpenID Connect provider (issue 22, ADR 14), against a real
 * provider (oidc-provider) on a local port, through app.inject: a sign-in (a new session id, no
 * OpenPEP second step, the provider's amr and acr in the audit event), and each refusal: an ID
 * token for another client, a state replayed or too old, an unverified address, an unknown
 * person (never created), an address of another authority's domain, passwords switched off.
 */

const BASE = 'http://localhost:3000'
const CALLBACK = `${BASE}/sign-in/single-sign-on/callback`
const OPENPEP = {
  clientId: 'openpep',
  clientSecret: 'openpep-test-secret-0123456789',
  redirectUri: CALLBACK,
  postLogoutRedirectUri: `${BASE}/sign-in`,
}
const OTHER = {
  clientId: 'another-service',
  clientSecret: 'another-service-secret-0123456789',
  redirectUri: 'http://localhost:4000/callback',
}
const PASSWORD = 'a long demo password 2026'

let t: TestContext
let idp: TestIdentityProvider
let harrowfield: { id: string; name: string }
let eastmere: { id: string; name: string }
const providers: Record<string, string> = {}
const users: Record<string, string> = {}

async function addProvider(authorityId: string, name: string, domains: string[]) {
  const id = crypto.randomUUID()
  await insertProvider(t.database.db, {
    id,
    authorityId,
    name,
    issuer: idp.issuer,
    clientId: OPENPEP.clientId,
    clientSecretSealed: sealSecret(
      t.config.mfaKeys,
      id,
      OPENPEP.clientSecret,
      CLIENT_SECRET_PURPOSE,
    ),
    domains,
    now: new Date(TEST_NOW),
    by: null,
  })
  return id
}

/** From the sign-in page to the provider: the email alone, then "Continue". */
async function toProvider(agent: TestAgent, email: string, returnTo = '/') {
  await agent.get('/sign-in')
  const posted = await agent.post('/sign-in', { email, password: '', returnTo })
  expect(posted.statusCode).toBe(303)
  const page = await agent.get(posted.headers.location as string)
  expect(page.statusCode).toBe(200)
  const start = /href="([^"]*\/start[^"]*)"/.exec(page.body)![1]!.replace(/&amp;/g, '&')
  const started = await agent.get(start)
  expect(started.statusCode).toBe(302)
  return new URL(started.headers.location as string)
}

/** Signs in at the provider as `accountId` and brings its answer back to OpenPEP. */
async function back(agent: TestAgent, authorizationUrl: URL) {
  const callback = await idp.follow(authorizationUrl.href)
  expect(callback.href.startsWith(CALLBACK)).toBe(true)
  return { response: await agent.get(callback.pathname + callback.search), callback }
}

/** The audit event a response's request wrote (by its request id: the test clock ties). */
const eventOf = (action: string, response: { headers: Record<string, unknown> }) =>
  t.database.db
    .selectFrom('audit_event')
    .select(['details', 'user_id', 'outcome', 'authority_id'])
    .where('action', '=', action)
    .where('request_id', '=', String(response.headers['x-request-id']))
    .executeTakeFirstOrThrow()

beforeAll(async () => {
  t = await createTestApp()
  idp = await startIdentityProvider([OPENPEP, OTHER])
  harrowfield = await makeAuthority(t.database.db, { name: 'Harrowfield Council' })
  eastmere = await makeAuthority(t.database.db, { name: 'Eastmere Council' })
  providers.harrowfield = await addProvider(harrowfield.id, 'Harrowfield staff account', [
    'harrowfield.example',
  ])
  providers.eastmere = await addProvider(eastmere.id, 'Eastmere staff account', [
    'eastmere.example',
  ])
  const passwordHash = await hashPassword(PASSWORD)
  for (const [key, email, authorityId] of [
    ['ann', 'ann.social@harrowfield.example', harrowfield.id],
    ['carl', 'carl.unverified@harrowfield.example', harrowfield.id],
    // An Eastmere address whose only role is in Harrowfield.
    ['eve', 'eve.agency@eastmere.example', harrowfield.id],
  ] as const) {
    users[key] = (
      await makeUser(t.database.db, { email, role: 'social_worker', authorityId, passwordHash })
    ).id
  }
  idp.accounts.set('ann', { email: 'Ann.Social@harrowfield.example', emailVerified: true })
  idp.accounts.set('carl', { email: 'carl.unverified@harrowfield.example', emailVerified: false })
  idp.accounts.set('eve', { email: 'eve.agency@eastmere.example', emailVerified: true })
  idp.accounts.set('dan', { email: 'dan.newcomer@harrowfield.example', emailVerified: true })
  // The Harrowfield provider vouching for an address outside its domains.
  idp.accounts.set('stray', { email: 'ann.social@elsewhere.example', emailVerified: true })
})
afterAll(async () => {
  await idp?.close()
  await t?.close()
})
beforeEach(() => t.clock.set(TEST_NOW))

describe('signing in through the authority’s provider', () => {
  it('signs in a person matched by verified email, with a new session id and the provider’s amr and acr audited', async () => {
    const agent = new TestAgent(t.app)
    const authorization = await toProvider(agent, 'ann.social@harrowfield.example', '/account')
    expect(authorization.origin).toBe(idp.issuer)
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorization.searchParams.get('client_id')).toBe('openpep')
    const before = /openpep\.sid=([^;]+)/.exec(agent.cookieHeader())![1]
    idp.signInAs('ann', { amr: ['pwd', 'mfa'], acr: TEST_ACR })
    const { response } = await back(agent, authorization)
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe('/account')
    const after = /openpep\.sid=([^;]+)/.exec(agent.cookieHeader())![1]
    expect(after).not.toBe(before)
    expect((await agent.get('/')).statusCode).toBe(200)
    const event = await eventOf('sign-in.success', response)
    expect(event.user_id).toBe(users.ann)
    expect(event.details).toMatchObject({
      method: 'single-sign-on',
      providerId: providers.harrowfield,
      amr: ['pwd', 'mfa'],
      acr: TEST_ACR,
    })
  })

  it('refuses an ID token made for another client (wrong audience)', async () => {
    const agent = new TestAgent(t.app)
    const authorization = await toProvider(agent, 'ann.social@harrowfield.example')
    const nonce = authorization.searchParams.get('nonce')!
    const foreign = await idp.idTokenFor(OTHER, 'ann', nonce)
    idp.tamperNextTokenResponse(async (body) => ({ ...body, id_token: foreign }))
    idp.signInAs('ann')
    const { response } = await back(agent, authorization)
    expect(response.statusCode).toBe(403)
    expect(response.body).toContain('Your organisation did not sign you in')
    expect((await agent.get('/')).statusCode).toBe(302)
    const event = await eventOf('sign-in.sso-failure', response)
    expect(event.details).toMatchObject({ code: 'sso.provider.refused' })
    expect(String((event.details as { reason: string }).reason)).toMatch(/aud/)
  })

  it('refuses an answer used twice, one for another browser, one with its state changed, and one after 10 minutes', async () => {
    const agent = new TestAgent(t.app)
    const authorization = await toProvider(agent, 'ann.social@harrowfield.example')
    idp.signInAs('ann')
    const { response, callback } = await back(agent, authorization)
    expect(response.statusCode).toBe(303)
    // The same answer again, in the same browser and in another: nothing is under way.
    const again = await agent.get(callback.pathname + callback.search)
    expect(again.statusCode).toBe(400)
    expect(again.body).toContain('Your sign-in was not finished')
    const stranger = new TestAgent(t.app)
    const replayed = await stranger.get(callback.pathname + callback.search)
    expect(replayed.statusCode).toBe(400)
    expect((await eventOf('sign-in.sso-failure', replayed)).details).toMatchObject({
      code: 'sso.state.missing',
    })

    const changed = new TestAgent(t.app)
    const second = await toProvider(changed, 'ann.social@harrowfield.example')
    idp.signInAs('ann')
    const answer = await idp.follow(second.href)
    answer.searchParams.set('state', 'forged-state')
    const forged = await changed.get(answer.pathname + answer.search)
    expect(forged.statusCode).toBe(403)
    expect((await eventOf('sign-in.sso-failure', forged)).details).toMatchObject({
      code: 'sso.provider.refused',
    })

    const slow = new TestAgent(t.app)
    const third = await toProvider(slow, 'ann.social@harrowfield.example')
    t.clock.advance(10 * 60_000)
    idp.signInAs('ann')
    const late = await back(slow, third)
    expect(late.response.statusCode).toBe(400)
    expect((await eventOf('sign-in.sso-failure', late.response)).details).toMatchObject({
      code: 'sso.state.expired',
    })
    expect((await slow.get('/')).statusCode).toBe(302)
  })

  it('refuses an address the provider has not verified', async () => {
    const agent = new TestAgent(t.app)
    const authorization = await toProvider(agent, 'carl.unverified@harrowfield.example')
    idp.signInAs('carl')
    const { response } = await back(agent, authorization)
    expect(response.statusCode).toBe(403)
    expect(response.body).toContain('did not confirm your email address')
    expect((await eventOf('sign-in.sso-failure', response)).details).toMatchObject({
      code: 'sso.email.unverified',
    })
  })

  it('refuses a person with no account in the authority, and creates none', async () => {
    const count = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('app_user')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const users = await count()
    const agent = new TestAgent(t.app)
    const authorization = await toProvider(agent, 'dan.newcomer@harrowfield.example')
    idp.signInAs('dan')
    const { response } = await back(agent, authorization)
    expect(response.statusCode).toBe(403)
    expect(response.body).toContain('You do not have an OpenPEP account in Harrowfield Council')
    expect(await count()).toBe(users)
    const event = await eventOf('sign-in.sso-failure', response)
    expect(event).toMatchObject({ authority_id: harrowfield.id, user_id: null })
    expect(event.details).toMatchObject({ code: 'sso.person.unknown' })
  })

  it('refuses an address of another authority’s domain, and an address outside the provider’s domains', async () => {
    // Eve's address is Eastmere's: she is sent to Eastmere's provider, and has no role there.
    const agent = new TestAgent(t.app)
    const authorization = await toProvider(agent, 'eve.agency@eastmere.example')
    idp.signInAs('eve')
    const { response } = await back(agent, authorization)
    expect(response.statusCode).toBe(403)
    expect(response.body).toContain('You do not have an OpenPEP account in Eastmere Council')
    expect((await eventOf('sign-in.sso-failure', response)).details).toMatchObject({
      code: 'sso.person.unknown',
      providerId: providers.eastmere,
    })
    // Harrowfield's provider vouching for an address that is not in Harrowfield's domains.
    const other = new TestAgent(t.app)
    const second = await toProvider(other, 'ann.social@harrowfield.example')
    idp.signInAs('stray')
    const stray = (await back(other, second)).response
    expect(stray.statusCode).toBe(403)
    expect((await eventOf('sign-in.sso-failure', stray)).details).toMatchObject({
      code: 'sso.email.other-domain',
    })
  })

  it('lets a password be used while the authority allows it, and refuses it clearly once switched off', async () => {
    const agent = new TestAgent(t.app)
    expect((await agent.signIn('ann.social@harrowfield.example', PASSWORD)).statusCode).toBe(303)
    await saveSignInSettings(
      t.database.db,
      harrowfield.id,
      { passwordsAllowed: false },
      new Date(TEST_NOW),
      null,
    )
    const refused = new TestAgent(t.app)
    await refused.get('/sign-in')
    const response = await refused.post('/sign-in', {
      email: 'ann.social@harrowfield.example',
      password: PASSWORD,
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Harrowfield Council does not use OpenPEP passwords')
    expect(response.body).toContain(`href="/sign-in/single-sign-on/${providers.harrowfield}`)
    expect((await eventOf('sign-in.password-refused', response)).details).toMatchObject({
      providerId: providers.harrowfield,
    })
    // Another authority's people, and addresses in no single sign-on domain, are not affected.
    const eve = new TestAgent(t.app)
    expect((await eve.signIn('eve.agency@eastmere.example', PASSWORD)).statusCode).toBe(303)
    await saveSignInSettings(
      t.database.db,
      harrowfield.id,
      { passwordsAllowed: true },
      new Date(TEST_NOW),
      null,
    )
  })
})

describe('an account made on first sign-in, where the authority allows it', () => {
  it('gives an unknown person with a verified address the least-privileged role and no child, once', async () => {
    await saveSignInSettings(
      t.database.db,
      harrowfield.id,
      { accountsOnFirstSignIn: true },
      new Date(TEST_NOW),
      null,
    )
    await saveSignInSettings(
      t.database.db,
      eastmere.id,
      { accountsOnFirstSignIn: true },
      new Date(TEST_NOW),
      null,
    )
    idp.accounts.set('fay', { email: 'Fay.Newcomer@harrowfield.example', emailVerified: true })
    idp.accounts.set('gil', { email: 'gil.unverified@harrowfield.example', emailVerified: false })
    const accounts = (email: string) =>
      t.database.db
        .selectFrom('app_user')
        .select(['id', 'status', 'password_hash'])
        .where('email', '=', email)
        .execute()

    const agent = new TestAgent(t.app)
    const authorization = await toProvider(agent, 'fay.newcomer@harrowfield.example', '/tray')
    idp.signInAs('fay')
    const { response } = await back(agent, authorization)
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe('/tray')
    const [fay, ...more] = await accounts('fay.newcomer@harrowfield.example')
    expect(more).toEqual([])
    expect(fay).toMatchObject({ status: 'active', password_hash: null })
    expect(
      await t.database.db
        .selectFrom('membership')
        .select(['authority_id', 'role', 'school_id'])
        .where('user_id', '=', fay!.id)
        .execute(),
    ).toEqual([{ authority_id: harrowfield.id, role: 'iro', school_id: null }])
    expect(
      await t.database.db
        .selectFrom('child_access')
        .select('child_id')
        .where('user_id', '=', fay!.id)
        .execute(),
    ).toEqual([])
    const made = await t.database.db
      .selectFrom('audit_event')
      .select(['details', 'user_id', 'outcome', 'authority_id'])
      .where('action', '=', 'account.created-on-sign-in')
      .where('subject_user_id', '=', fay!.id)
      .executeTakeFirstOrThrow()
    expect(made).toMatchObject({ user_id: null, authority_id: harrowfield.id, outcome: 'success' })
    expect(made.details).toMatchObject({ providerId: providers.harrowfield, role: 'iro' })
    expect((await eventOf('sign-in.success', response)).details).toMatchObject({
      accountCreated: true,
    })
    expect((await agent.get('/')).statusCode).toBe(200)

    // The next sign-in finds the same account.
    const again = new TestAgent(t.app)
    const second = await toProvider(again, 'fay.newcomer@harrowfield.example')
    idp.signInAs('fay')
    expect((await back(again, second)).response.statusCode).toBe(303)
    expect(await accounts('fay.newcomer@harrowfield.example')).toHaveLength(1)
  })

  it('still refuses an unverified address, and never takes over an account held elsewhere', async () => {
    const count = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('app_user')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await count()
    const agent = new TestAgent(t.app)
    const authorization = await toProvider(agent, 'gil.unverified@harrowfield.example')
    idp.signInAs('gil')
    const unverified = (await back(agent, authorization)).response
    expect(unverified.statusCode).toBe(403)
    expect((await eventOf('sign-in.sso-failure', unverified)).details).toMatchObject({
      code: 'sso.email.unverified',
    })
    // Eve has an account (her role is in Harrowfield): Eastmere's provider may not make her one.
    const other = new TestAgent(t.app)
    const second = await toProvider(other, 'eve.agency@eastmere.example')
    idp.signInAs('eve')
    const eve = (await back(other, second)).response
    expect(eve.statusCode).toBe(403)
    expect((await eventOf('sign-in.sso-failure', eve)).details).toMatchObject({
      code: 'sso.person.unknown',
    })
    expect(await count()).toBe(before)
    await saveSignInSettings(
      t.database.db,
      harrowfield.id,
      { accountsOnFirstSignIn: false },
      new Date(TEST_NOW),
      null,
    )
    await saveSignInSettings(
      t.database.db,
      eastmere.id,
      { accountsOnFirstSignIn: false },
      new Date(TEST_NOW),
      null,
    )
  })
})

describe('the email-first page', () => {
  it('sends an address in a provider’s domain there, any other to the password with the address kept', async () => {
    const agent = new TestAgent(t.app)
    const page = await agent.get('/sign-in/email')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('What is your email address?')
    const blank = await agent.post('/sign-in/email', { email: '  ', returnTo: '/tray' })
    expect(blank.statusCode).toBe(400)
    expect(blank.body).toContain('href="#email"')
    expect(blank.body).toContain('Enter your email address')
    const bad = await agent.post('/sign-in/email', { email: 'not an address' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('value="not an address"')

    const sso = await agent.post('/sign-in/email', {
      email: 'Someone@Harrowfield.example',
      returnTo: '/tray',
    })
    expect(sso.statusCode).toBe(303)
    expect(sso.headers.location).toBe(
      `/sign-in/single-sign-on/${providers.harrowfield}?returnTo=%2Ftray`,
    )
    const password = await agent.post('/sign-in/email', {
      email: 'carer@elsewhere.example',
      returnTo: '/tray',
    })
    expect(password.statusCode).toBe(200)
    expect(password.body).toContain('value="carer@elsewhere.example"')
    expect(password.body).toContain('name="password"')
    expect(password.body).toContain('name="returnTo" value="/tray"')
    // The same answer whether or not the address has an account.
    const known = await agent.post('/sign-in/email', { email: 'eve.agency@harrowfield.example' })
    expect(known.headers.location).toBe(
      sso.headers.location?.toString().split('?')[0] + '?returnTo=%2F',
    )
  })
})

describe('signing out after single sign-on', () => {
  it('ends the OpenPEP session and offers the provider’s own sign-out', async () => {
    const agent = new TestAgent(t.app)
    const authorization = await toProvider(agent, 'ann.social@harrowfield.example')
    idp.signInAs('ann')
    await back(agent, authorization)
    await agent.get('/')
    const out = await agent.post('/sign-out')
    expect(out.statusCode).toBe(303)
    expect(out.headers.location).toBe(`/signed-out?provider=${providers.harrowfield}`)
    expect((await agent.get('/')).statusCode).toBe(302)
    const page = await agent.get(out.headers.location as string)
    expect(page.body).toContain('You have signed out of OpenPEP')
    const link = /href="(http:\/\/127\.0\.0\.1[^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&')
    const endSession = new URL(link)
    expect(endSession.pathname).toBe('/session/end')
    expect(endSession.searchParams.get('client_id')).toBe('openpep')
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE}/sign-in`)
    const atProvider = await fetch(endSession)
    expect(atProvider.status).toBe(200)
  })
})
