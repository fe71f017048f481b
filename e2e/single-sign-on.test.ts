import { createServer, type AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../src/testing/app.ts'
import { makeUser } from '../src/testing/factories.ts'
import { startIdentityProvider, type TestIdentityProvider } from '../src/testing/oidc-provider.ts'
import { hasChromium, launchBrowser, newContext } from './support/browser.ts'
import { DEMO } from './support/demo.ts'
import { serveAxeCore } from './support/server.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { SettingsPage } from './support/pages/settings-pages.ts'
import { SignInPage } from './support/pages/sign-in-page.ts'
import {
  ProviderSignInPage,
  SignInEmailPage,
  SignedOutPage,
  SingleSignOnPage,
} from './support/pages/single-sign-on-pages.ts'

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
    t = await createTestApp({
      demo: true,
      seed: 'demo',
      env: { BASE_URL: base },
      testRoutes: serveAxeCore,
    })
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
    const provider = 'Harrowfield staff account'

    await (await SignInPage.open(page, base)).signIn(DEMO.admin)
    const settings = await SettingsPage.fromMenu(page, base)
    await settings.clickLink('Sign your staff in with your organisation’s own accounts')
    const sso = await SingleSignOnPage.waitFor(page)
    expect(await sso.headingText()).toContain('Single sign-on')
    expect(await sso.mainText()).toContain(`${base}/sign-in/single-sign-on/callback`)
    await sso.checkAccessible()

    const adding = await sso.addProvider()
    await adding.checkAccessible()
    await adding.submit()
    await expect.poll(() => adding.title()).toBe('Error: Add a single sign-on provider – OpenPEP')
    expect(await adding.errorSummary.text()).toContain('Enter the issuer URL')
    await adding.checkAccessible()
    await adding.fill({
      name: provider,
      issuer: idp.issuer,
      clientId: 'openpep',
      clientSecret: 'openpep-e2e-secret-0123456789',
      emailDomains: 'harrowfield.example',
    })
    await adding.submit()
    await expect.poll(() => sso.mainText()).toContain(`${provider} added`)
    await sso.checkAccessible()

    const passwords = await sso.changePasswords()
    await passwords.checkAccessible()
    await passwords.noPasswords.check()
    expect(await passwords.noPasswordGiven.isChecked()).toBe(true)
    await passwords.save()
    await expect.poll(() => sso.mainText()).toContain('can now sign in only through their provider')

    const changing = await sso.changeProvider(provider)
    expect(await changing.headingText()).toBe(`Change ${provider}`)
    await changing.checkAccessible()
    await changing.signOut()
    const signInPage = await SignInPage.waitFor(page, base)

    // The social worker: email first (on its own page; refused blank, then typed), then to their
    // provider and back, signed in.
    await signInPage.checkAccessible()
    const emailFirst = await SignInEmailPage.open(page, base)
    await emailFirst.checkAccessible()
    await emailFirst.continue()
    await emailFirst.errorSummary.locator.waitFor()
    await emailFirst.checkAccessible()
    await emailFirst.continue('sam.social@harrowfield.example')
    const atProvider = await ProviderSignInPage.waitFor(page)
    expect(await atProvider.headingText()).toBe(`Sign in with ${provider}`)
    await atProvider.checkAccessible()
    idp.signInAs('sam', { amr: ['pwd', 'mfa'] })
    await atProvider.continueTo(provider)
    const myWork = await MyWorkPage.waitFor(page, base)
    expect(await myWork.mainText()).toContain('My work')

    // Signing out: OpenPEP's session ends, and the provider's sign-out is offered.
    await myWork.signOut()
    const signedOut = await SignedOutPage.waitFor(page)
    expect(await signedOut.headingText()).toBe('You have signed out of OpenPEP')
    expect(await signedOut.providerSignOut(provider).getAttribute('href')).toContain(
      `${idp.issuer}/session/end`,
    )
    await signedOut.checkAccessible()

    // A password for an address whose authority has switched passwords off: refused, clearly.
    await signedOut.clickLink('Sign in again')
    const again = SignInPage.on(page)
    await again.submit('sam.social@harrowfield.example', 'a password of some sort')
    await expect.poll(() => again.title()).toBe('Error: Sign in – OpenPEP')
    expect(await again.errorSummary.text()).toContain('does not use OpenPEP passwords')
    await again.checkAccessible()
    await context.close()
  })
})
