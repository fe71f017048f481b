import { createServer, type AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../src/testing/app.ts'
import { makeUser } from '../src/testing/factories.ts'
import { startIdentityProvider, type TestIdentityProvider } from '../src/testing/oidc-provider.ts'
import { expectAccessible, hasChromium, launchBrowser, newContext } from './support/browser.ts'
import { signInAs } from './support/journey.ts'

/*
 * Single sign-on in Chromium (issue 22, ADR 14), against a real OpenID Connect provider on a
 * local port: a Virtual School administrator sets up their authority's provider and switches
 * passwords off; a social worker in its domain signs in there from the sign-in page (email
 * first), signs out (offered the provider's sign-out), and a password is refused. Axe checks
 * every OpenPEP page on the way.
 */

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe.skipIf(!hasChromium)('single sign-on', () => {
  let t: TestContext
  let idp: TestIdentityProvider
  let browser: Browser
  let base: string

  beforeAll(async () => {
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    idp = await startIdentityProvider([
      {
        clientId: 'openpep',
        clientSecret: 'openpep-e2e-secret-0123456789',
        redirectUri: `${base}/sign-in/single-sign-on/callback`,
        postLogoutRedirectUri: `${base}/sign-in`,
      },
    ])
    t = await createTestApp({ demo: true, seed: 'demo', env: { BASE_URL: base } })
    const harrowfield = await t.database.db
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'HFD')
      .executeTakeFirstOrThrow()
    await makeUser(t.database.db, {
      email: 'sam.social@harrowfield.example',
      displayName: 'Sam Social',
      role: 'social_worker',
      authorityId: harrowfield.id,
    })
    idp.accounts.set('sam', { email: 'sam.social@harrowfield.example', emailVerified: true })
    await (t.app as FastifyInstance).listen({ port, host: '127.0.0.1' })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
    await idp?.close()
  })

  it('an administrator sets up the provider; a social worker signs in there, and out', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const heading = () => page.getByRole('heading', { level: 1 }).textContent()
    const main = () => page.textContent('main')

    await signInAs(page, base, 'vs.admin@example.org')
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page
      .getByRole('link', { name: 'Sign your staff in with your organisation’s own accounts' })
      .click()
    await page.waitForURL(/\/admin\/settings\/single-sign-on\?authority=/)
    expect(await heading()).toContain('Single sign-on')
    expect(await main()).toContain(`${base}/sign-in/single-sign-on/callback`)
    await expectAccessible(page)

    await page.getByRole('button', { name: 'Add a provider' }).click()
    await page.waitForURL(/\/providers\/new/)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Add provider' }).click()
    await expect.poll(() => page.title()).toBe('Error: Add a single sign-on provider – OpenPEP')
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Enter the issuer URL',
    )
    await expectAccessible(page)
    await page.getByLabel('Name').fill('Harrowfield staff account')
    await page.getByLabel('Issuer URL').fill(idp.issuer)
    await page.getByLabel('Client ID').fill('openpep')
    await page.getByLabel('Client secret', { exact: true }).fill('openpep-e2e-secret-0123456789')
    await page.getByLabel('Email domains').fill('harrowfield.example')
    await page.getByRole('button', { name: 'Add provider' }).click()
    await expect.poll(main).toContain('Harrowfield staff account added')
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Change whether passwords may be used' }).click()
    await page.waitForURL(/\/single-sign-on\/passwords/)
    await expectAccessible(page)
    await page
      .getByRole('group', { name: /also sign in with a password/ })
      .getByLabel('No', { exact: true })
      .check()
    expect(
      await page
        .getByRole('group', { name: /given one when they first sign in/ })
        .getByLabel('No', { exact: true })
        .isChecked(),
    ).toBe(true)
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(main).toContain('can now sign in only through their provider')

    await page.getByRole('link', { name: 'Change Harrowfield staff account' }).click()
    await page.waitForURL(/\/providers\/[0-9a-f-]+$/)
    expect(await heading()).toBe('Change Harrowfield staff account')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${base}/sign-in`)

    // The social worker: email first (on its own page; refused blank, then typed), then to their
    // provider and back, signed in.
    await expectAccessible(page)
    await page.goto(`${base}/sign-in/email`)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.locator('.govuk-error-summary').waitFor()
    await expectAccessible(page)
    await page.getByLabel('What is your email address?').fill('sam.social@harrowfield.example')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(/\/sign-in\/single-sign-on\/[0-9a-f-]+\?/)
    expect(await heading()).toBe('Sign in with Harrowfield staff account')
    await expectAccessible(page)
    idp.signInAs('sam', { amr: ['pwd', 'mfa'] })
    await page.getByRole('button', { name: 'Continue to Harrowfield staff account' }).click()
    await page.waitForURL(`${base}/`)
    expect(await main()).toContain('My work')

    // Signing out: OpenPEP's session ends, and the provider's sign-out is offered.
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/signed-out\?provider=/)
    expect(await heading()).toBe('You have signed out of OpenPEP')
    expect(
      await page
        .getByRole('button', { name: 'Sign out of Harrowfield staff account as well' })
        .getAttribute('href'),
    ).toContain(`${idp.issuer}/session/end`)
    await expectAccessible(page)

    // A password for an address whose authority has switched passwords off: refused, clearly.
    await page.getByRole('link', { name: 'Sign in again' }).click()
    await page.getByLabel('Email address').fill('sam.social@harrowfield.example')
    await page.getByLabel('Password', { exact: true }).fill('a password of some sort')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.title()).toBe('Error: Sign in – OpenPEP')
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'does not use OpenPEP passwords',
    )
    await expectAccessible(page)
    await context.close()
  })
})
