import { describe, expect, it } from 'vitest'
import { hasChromium, newContext } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO } from './support/demo.ts'
import { onPage } from './support/pages/abstract-page.ts'
import { ForgottenPasswordPage, NewPasswordPage } from './support/pages/account-pages.ts'
import { emailedPath, MailboxPage } from './support/pages/mailbox-page.ts'
import { SignInPage, signedIn } from './support/pages/sign-in-page.ts'

const NEW_PASSWORD = 'copper-meadow-lantern'

describe.skipIf(!hasChromium)('a carer resets a forgotten password from the emailed link', () => {
  const journey = browserJourney()

  it('asks for a link, finds it in the mailbox, sets a new password and signs in with it', async () => {
    const base = journey.app.baseUrl
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await (await SignInPage.open(page, base)).forgottenPassword()
    const forgotten = await ForgottenPasswordPage.waitFor(page, base)
    await forgotten.checkAccessible()

    await forgotten.sendLink(DEMO.carer)
    await page.waitForURL(`${base}/account/forgotten-password/sent`)
    expect(await forgotten.mainText()).toContain(
      'If there is an account for that address, we have sent a link',
    )
    await forgotten.checkAccessible()

    // The carer cannot sign in to read it: in the demo, an administrator sees everyone's email
    // in the development mailbox (set-up changed with issue 13).
    const admin = await signedIn(journey, DEMO.admin)
    const mailbox = await MailboxPage.open(admin, base)
    await mailbox.checkAccessible()
    await mailbox.openEmail('Reset your OpenPEP password')
    await mailbox.checkAccessible()
    const body = await mailbox.body()
    await admin.context().close()
    const path = emailedPath(body, '/account/reset-password/')
    expect(path).toBeDefined()

    const reset = await NewPasswordPage.open(page, base, path!)
    expect(await reset.title()).toBe('Reset your password – OpenPEP')
    await reset.checkAccessible()
    await reset.choose(NEW_PASSWORD, 'something else entirely')
    await expect.poll(() => reset.alertText()).toContain('Enter the same password in both boxes')
    await reset.checkAccessible()
    await reset.choose(NEW_PASSWORD)
    await page.waitForURL(`${base}/sign-in?notice=password-reset`)
    const signIn = SignInPage.on(page)
    expect(await signIn.mainText()).toContain('Your password has been changed')
    await signIn.checkAccessible()

    await signIn.submit(DEMO.carer, NEW_PASSWORD)
    // A carer's home is their own page of the children placed with them.
    await page.waitForURL(`${base}/my-children`)
    const home = onPage(page)
    expect(await home.heading.textContent()).toBe('Children in your care')
    await home.checkAccessible()

    // The link worked once.
    const used = await NewPasswordPage.open(page, base, path!)
    expect(await used.heading.textContent()).toBe('This link has expired or has already been used')
    await used.checkAccessible()
    await context.close()
  })
})
