import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

/*
 * Webhooks (issue 22) in Chromium, axe on each state: an administrator adds an API client, then a
 * webhook for it (refused first), sees its signing secret once, the list, and the delivery log;
 * then turns it off, asked first on its own page.
 */

describe.skipIf(!hasChromium)('webhooks for an API client', () => {
  const journey = browserJourney()

  it('adds a webhook (refused first), sees its secret once, its log, and turns it off', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    const base = journey.app.baseUrl
    const main = () => page.textContent('main')
    await signInAs(page, base, 'vs.admin@example.org')

    await page.goto(`${base}/admin/settings/api-clients/new`)
    await page.getByLabel('Name of the system').fill('Mosaic (webhooks)')
    await page.getByLabel('Read PEPs and their states').check()
    await page.getByRole('button', { name: 'Add API client' }).click()
    await page.getByText('API client added').waitFor()
    await page.goto(`${base}/admin/settings/api-clients`)
    await page.getByRole('link', { name: 'Webhooks for Mosaic (webhooks)' }).click()
    await page.waitForURL(/\/webhooks(\?|$)/)
    expect(await main()).toContain('Mosaic (webhooks) has no webhooks.')
    await expectAccessible(page)

    await page.getByRole('button', { name: 'Add a webhook' }).click()
    await page.waitForURL(/\/webhooks\/new(\?|$)/)
    await expectAccessible(page)
    await page.getByLabel('Address to send events to').fill('http://hooks.example.net/openpep')
    await page.getByRole('button', { name: 'Add webhook' }).click()
    await page.locator('.govuk-error-summary').waitFor()
    expect(await page.textContent('.govuk-error-summary')).toContain('https://')
    expect(await page.getByLabel('Address to send events to').inputValue()).toBe(
      'http://hooks.example.net/openpep',
    )
    await expectAccessible(page)

    await page.getByLabel('Address to send events to').fill('https://hooks.example.net/openpep')
    await page.locator('input[name="events"]').first().check()
    await page.getByRole('button', { name: 'Add webhook' }).click()
    await page.getByText('Copy the signing secret now').waitFor()
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Back to webhooks' }).click()
    await page.waitForURL(/\/webhooks(\?|$)/)
    expect(await main()).toContain('https://hooks.example.net/openpep')
    await expectAccessible(page)
    await page.getByRole('link', { name: /^Deliveries/ }).click()
    await page.waitForURL(/\/deliveries(\?|$)/)
    await expectAccessible(page)

    await page.goBack()
    await page.waitForURL(/\/webhooks(\?|$)/)
    await page.getByRole('button', { name: /^Turn off/ }).click()
    await page.waitForURL(/\/remove(\?|$)/)
    expect(await main()).toContain('Are you sure you want to turn off this webhook?')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Yes, turn it off' }).click()
    await page
      .getByText(/Turned off/)
      .first()
      .waitFor()
    await expectAccessible(page)
    await context.close()
  })
})
