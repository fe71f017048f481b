import { describe, expect, it } from 'vitest'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO } from './support/demo.ts'
import { onPage } from './support/pages/abstract-page.ts'
import { ApiClientsPage, NewApiClientPage, WebhooksPage } from './support/pages/api-client-pages.ts'
import { signedIn } from './support/pages/sign-in-page.ts'

/*
 * Webhooks (issue 22) in Chromium, axe on each state: an administrator adds an API client, then a
 * webhook for it (refused first), sees its signing secret once, the list, and the delivery log;
 * then turns it off, asked first on its own page.
 */

describe.skipIf(!hasChromium)('webhooks for an API client', () => {
  const journey = browserJourney()

  it('adds a webhook (refused first), sees its secret once, its log, and turns it off', async () => {
    const base = journey.app.baseUrl
    const page = await signedIn(journey, DEMO.admin)

    const client = await NewApiClientPage.open(page, base)
    await client.add({ name: 'Mosaic (webhooks)', scopes: ['Read PEPs and their states'] })
    const clients = await ApiClientsPage.open(page, base)
    const webhooks = await clients.openWebhooks('Mosaic (webhooks)')
    expect(await webhooks.mainText()).toContain('Mosaic (webhooks) has no webhooks.')
    await webhooks.checkAccessible()

    const form = await webhooks.addWebhook()
    await form.checkAccessible()
    await form.address.fill('http://hooks.example.net/openpep')
    await form.submit()
    expect(await form.errorSummary.text()).toContain('https://')
    expect(await form.address.inputValue()).toBe('http://hooks.example.net/openpep')
    await form.checkAccessible()

    await form.address.fill('https://hooks.example.net/openpep')
    await form.chooseFirstEvent()
    await form.submit()
    await page.getByText('Copy the signing secret now').waitFor()
    await form.checkAccessible()

    const list = await form.backToWebhooks()
    expect(await list.mainText()).toContain('https://hooks.example.net/openpep')
    await list.checkAccessible()
    await list.openDeliveries()
    await onPage(page).checkAccessible()

    await page.goBack()
    const again = await WebhooksPage.waitFor(page)
    await again.turnOff()
    expect(await again.mainText()).toContain('Are you sure you want to turn off this webhook?')
    await again.checkAccessible()
    await again.confirmTurnOff()
    await page
      .getByText(/Turned off/)
      .first()
      .waitFor()
    await again.checkAccessible()
    await page.context().close()
  })
})
