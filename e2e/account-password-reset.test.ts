import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

const NEW_PASSWORD = 'copper-meadow-lantern'

describe.skipIf(!hasChromium)('a carer resets a forgotten password from the emailed link', () => {
  const journey = browserJourney()

  it('asks for a link, finds it in the mailbox, sets a new password and signs in with it', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await page.goto(`${journey.app.baseUrl}/sign-in`)
    await page.getByRole('link', { name: 'I have forgotten my password' }).click()
    await page.waitForURL(`${journey.app.baseUrl}/account/forgotten-password`)
    await expectAccessible(page)

    await page.getByLabel('Email address').fill('carer@example.org')
    await page.getByRole('button', { name: 'Send link' }).click()
    await page.waitForURL(`${journey.app.baseUrl}/account/forgotten-password/sent`)
    expect(await page.textContent('main')).toContain(
      'If there is an account for that address, we have sent a link',
    )
    await expectAccessible(page)

    // The carer cannot sign in to read it: in the demo, an administrator sees everyone's email
    // in the development mailbox (set-up changed with issue 13).
    const adminContext = await newContext(journey.browser)
    const mailbox = await adminContext.newPage()
    await signInAs(mailbox, journey.app.baseUrl, 'vs.admin@example.org')
    await mailbox.goto(`${journey.app.baseUrl}/dev/mailbox`)
    await expectAccessible(mailbox)
    await mailbox.getByRole('link', { name: 'Reset your OpenPEP password' }).first().click()
    await expectAccessible(mailbox)
    const body = (await mailbox.locator('pre').textContent()) ?? ''
    await adminContext.close()
    const path = /http:\/\/[^/\s]+(\/account\/reset-password\/\S+)/.exec(body)?.[1]
    expect(path).toBeDefined()

    await page.goto(`${journey.app.baseUrl}${path}`)
    expect(await page.title()).toBe('Reset your password – OpenPEP')
    await expectAccessible(page)
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByLabel('Confirm new password', { exact: true }).fill('something else entirely')
    await page.getByRole('button', { name: 'Reset password' }).click()
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Enter the same password in both boxes')
    await expectAccessible(page)
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByLabel('Confirm new password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Reset password' }).click()
    await page.waitForURL(`${journey.app.baseUrl}/sign-in?notice=password-reset`)
    expect(await page.textContent('main')).toContain('Your password has been changed')
    await expectAccessible(page)

    await page.getByLabel('Email address').fill('carer@example.org')
    await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    // A carer's home is their own page of the children placed with them.
    await page.waitForURL(`${journey.app.baseUrl}/my-children`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Children in your care',
    )
    await expectAccessible(page)

    // The link worked once.
    await page.goto(`${journey.app.baseUrl}${path}`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'This link has expired or has already been used',
    )
    await expectAccessible(page)
    await context.close()
  })
})
