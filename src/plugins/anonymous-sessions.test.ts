import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { DEMO_PASSWORD } from '../db/seed.ts'
import { createTestApp, type TestContext } from '../testing/app.ts'
import { TestAgent } from '../testing/agent.ts'

/*
 * A visitor who has not signed in leaves no session row: the sign-in page's CSRF secret is in a
 * signed cookie of its own, and the form still works in a browser without JavaScript.
 */

let t: TestContext
beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
})
afterAll(() => t.close())

const sessionRows = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('web_session')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('anonymous visits', () => {
  it('create no session rows, on any page a visitor can reach', async () => {
    await sql`delete from web_session`.execute(t.database.db)
    const agent = new TestAgent(t.app)
    for (const url of [
      '/',
      '/sign-in',
      '/sign-in?returnTo=%2Fchildren',
      '/children',
      '/account/forgotten-password',
      '/account/forgotten-email',
      '/account/reset-password/not-a-token',
      '/no-such-page',
      '/health',
    ])
      await agent.get(url)
    await agent.post('/account/forgotten-password', { email: 'nobody.at.all@example.org' })
    await agent.post('/sign-in', { email: 'nobody.at.all@example.org', password: 'wrong-one' })
    await agent.post('/sign-in', { email: '', password: '' })
    expect(await sessionRows()).toBe(0)
    expect((await agent.get('/sign-in')).cookies.some((c) => c.name === 'openpep.sid')).toBe(false)
  })

  it('still signs in with the form alone, and refuses it without its token or with another token', async () => {
    const agent = new TestAgent(t.app)
    const page = await agent.get('/sign-in')
    const csrfCookie = page.cookies.find((c) => c.name === 'openpep.csrf')
    expect(csrfCookie?.httpOnly).toBe(true)
    expect(csrfCookie?.sameSite).toBe('Lax')
    expect(
      (
        await agent.post(
          '/sign-in',
          { email: 'vs.admin@example.org', password: DEMO_PASSWORD },
          { csrf: false },
        )
      ).statusCode,
    ).toBe(403)
    // A token from another visitor's page does not go with this visitor's cookie.
    const other = new TestAgent(t.app)
    const otherToken = /name="_csrf" value="([^"]+)"/.exec((await other.get('/sign-in')).body)?.[1]
    expect(
      (
        await agent.post(
          '/sign-in',
          { _csrf: otherToken!, email: 'vs.admin@example.org', password: DEMO_PASSWORD },
          { csrf: false },
        )
      ).statusCode,
    ).toBe(403)
    await agent.get('/sign-in')
    const signedIn = await agent.post('/sign-in', {
      email: 'vs.admin@example.org',
      password: DEMO_PASSWORD,
    })
    expect(signedIn.statusCode).toBe(303)
    expect(await sessionRows()).toBe(1)
    expect((await agent.get('/')).statusCode).toBe(200)
  })

  it('refuses a token from before sign-in once signed in', async () => {
    const agent = new TestAgent(t.app)
    const before = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/sign-in')).body)?.[1]
    await agent.post('/sign-in', { email: 'vs.head@example.org', password: DEMO_PASSWORD })
    const out = await agent.post('/sign-out', { _csrf: before! }, { csrf: false })
    expect(out.statusCode).toBe(403)
  })

  it('gives every form of a page one token, each page its own, and takes any of them', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('vs.admin@example.org', DEMO_PASSWORD)
    const tokensOf = (body: string) =>
      [...body.matchAll(/name="_csrf" value="([^"]+)"/g)].map((match) => match[1]!)
    // The change of password's form and the header's Sign out: two forms, one token.
    const first = tokensOf((await agent.get('/account/password')).body)
    expect(first.length).toBeGreaterThanOrEqual(2)
    expect(new Set(first).size).toBe(1)
    const second = tokensOf((await agent.get('/account/password')).body)
    expect(second[0]).not.toBe(first[0])
    const submitted = await agent.post(
      '/account/password',
      { _csrf: first[0]!, currentPassword: '', password: '', confirmPassword: '' },
      { csrf: false },
    )
    // Refused for its empty fields, not for its token.
    expect(submitted.statusCode).toBe(400)
    expect(submitted.body).toContain('govuk-error-summary')
  })
})
