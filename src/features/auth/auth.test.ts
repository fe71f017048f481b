import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { TestAgent } from '../../testing/agent.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { safeReturnTo } from './sign-in.form.ts'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
})
afterAll(() => t.close())

describe('sign-in', () => {
  it('shows the sign-in page to someone not signed in', async () => {
    const response = await new TestAgent(t.app).get('/sign-in')
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('<h1 class="govuk-heading-l">Sign in to OpenPEP</h1>')
    expect(response.body).toMatch(/name="_csrf" value="[^"]+"/)
  })

  it('sends someone not signed in to sign in, and back to where they were going', async () => {
    const agent = new TestAgent(t.app)
    const response = await agent.get('/children?page=2')
    expect(response.statusCode).toBe(302)
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Fchildren%3Fpage%3D2')
    await agent.get(response.headers.location as string)
    const signedIn = await agent.post('/sign-in', {
      email: 'vs.admin@example.org',
      password: DEMO_PASSWORD,
      returnTo: '/children?page=2',
    })
    expect(signedIn.statusCode).toBe(303)
    expect(signedIn.headers.location).toBe('/children?page=2')
  })

  it('refuses a wrong password with one message that does not say which part was wrong, keeping the email but not the password', async () => {
    const agent = new TestAgent(t.app)
    await agent.get('/sign-in')
    const response = await agent.post('/sign-in', {
      email: 'vs.admin@example.org',
      password: 'not-the-password',
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('There is a problem')
    expect(response.body).toContain(
      '<a href="#email">Enter a correct email address and password</a>',
    )
    expect(response.body).toContain('value="vs.admin@example.org"')
    expect(response.body).not.toContain('not-the-password')
    expect(response.body).toMatch(/<title>Error: Sign in/)
  })

  it('gives an unknown email the same answer as a wrong password', async () => {
    const agent = new TestAgent(t.app)
    await agent.get('/sign-in')
    const response = await agent.post('/sign-in', {
      email: 'nobody@example.org',
      password: 'whatever-it-is',
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Enter a correct email address and password')
  })

  it('names each missing field', async () => {
    const agent = new TestAgent(t.app)
    await agent.get('/sign-in')
    const response = await agent.post('/sign-in', { email: '', password: '' })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('<a href="#email">Enter your email address</a>')
    expect(response.body).toContain('<a href="#password">Enter your password</a>')
  })

  it('checks the format of an email address and keeps what was typed, however odd', async () => {
    const agent = new TestAgent(t.app)
    await agent.get('/sign-in')
    const typed = 'not an email <script>"😀'
    const response = await agent.post('/sign-in', { email: typed, password: 'x' })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain(
      'Enter an email address in the correct format, like name@example.org',
    )
    expect(response.body).toContain('value="not an email &lt;script&gt;&quot;😀"')
  })

  it('signs in whatever the case of the email address, with a new session id', async () => {
    const agent = new TestAgent(t.app)
    const page = await agent.get('/sign-in')
    const before = page.cookies.find((c) => c.name === 'openpep.sid')?.value
    const response = await agent.post('/sign-in', {
      email: 'VS.Admin@Example.org',
      password: DEMO_PASSWORD,
    })
    expect(response.statusCode).toBe(303)
    const after = response.cookies.find((c) => c.name === 'openpep.sid')?.value
    expect(after).toBeDefined()
    expect(after).not.toBe(before)
    const home = await agent.get('/')
    expect(home.statusCode).toBe(200)
    expect(home.body).toContain('Alex Admin')
  })

  it('refuses a form posted without its CSRF token', async () => {
    const agent = new TestAgent(t.app)
    await agent.get('/sign-in')
    const response = await agent.post(
      '/sign-in',
      { email: 'vs.admin@example.org', password: DEMO_PASSWORD },
      { csrf: false },
    )
    expect(response.statusCode).toBe(403)
    expect(response.body).toContain('Your page has expired')
  })

  it('signs out, after which pages need sign-in again', async () => {
    const agent = new TestAgent(t.app)
    await agent.signIn('social.worker@example.org', DEMO_PASSWORD)
    await agent.get('/')
    const out = await agent.post('/sign-out')
    expect(out.statusCode).toBe(303)
    expect(out.headers.location).toBe('/sign-in')
    const home = await agent.get('/')
    expect(home.statusCode).toBe(302)
  })
})

describe('safeReturnTo', () => {
  it.each([
    ['/children', '/children'],
    ['/children?page=2', '/children?page=2'],
    ['https://evil.example', '/'],
    ['//evil.example/path', '/'],
    ['/\\evil.example', '/'],
    [undefined, '/'],
    [42, '/'],
  ])('%s -> %s', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected)
  })

  it.each([
    ['/', '/'],
    ['/children/3f0c?tab=notes#top', '/children/3f0c?tab=notes#top'],
    ['/children?q=a%2Fb', '/children?q=a%2Fb'],
    ['/peps/x/pages/section-a', '/peps/x/pages/section-a'],
  ])('keeps a same-site path: %s', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected)
  })

  /*
   * Known open-redirect bypasses (the PortSwigger and PayloadsAllTheThings lists, OWASP's
   * unvalidated redirects cheat sheet): each would send a browser to another origin, or could
   * become such a path after one more decoding.
   */
  const BYPASSES = [
    '//evil.example',
    '///evil.example',
    '////evil.example',
    '/\\evil.example',
    '\\evil.example',
    '\\/evil.example',
    '/\\/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '\t//evil.example',
    ' //evil.example',
    '/ /evil.example',
    '/\u0000/evil.example',
    '/\u00a0/evil.example',
    '/\u2028/evil.example',
    '/%2F%2Fevil.example',
    '/%2f%2fevil.example',
    '/%2Fevil.example',
    '%2F%2Fevil.example',
    '/%5Cevil.example',
    '/%5cevil.example',
    '/%5C%5Cevil.example',
    '/%09/evil.example',
    '/%0a/evil.example',
    '/%0D%0A/evil.example',
    '/%20/evil.example',
    '/%252F%252Fevil.example',
    '/%25252F%25252Fevil.example',
    '/%255Cevil.example',
    '/%E0%A4%A',
    '/.//evil.example',
    '/./\\evil.example',
    '/..//evil.example',
    '/a/..//evil.example',
    '/%2e%2e//evil.example',
    'https://evil.example',
    'https:/evil.example',
    'https:evil.example',
    'http://evil.example',
    'HTTPS://evil.example',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'evil.example',
    '@evil.example',
    '//evil.example@openpep.invalid',
    '/\\@evil.example',
    '\u3002evil.example',
    '\u2215\u2215evil.example',
    '\uff0f\uff0fevil.example',
    '',
  ]

  it.each(BYPASSES)('refuses %j', (input) => {
    expect(safeReturnTo(input)).toBe('/')
  })

  it('follows none of them after a real sign-in', async () => {
    for (const returnTo of BYPASSES) {
      const agent = new TestAgent(t.app)
      await agent.get('/sign-in')
      const response = await agent.post('/sign-in', {
        email: 'vs.head@example.org',
        password: DEMO_PASSWORD,
        returnTo,
      })
      expect(response.statusCode, returnTo).toBe(303)
      expect(response.headers.location, returnTo).toBe('/')
    }
  })
})
