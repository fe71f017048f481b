import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { ErrorSummary } from './support/pages/error-summary.ts'

describe.skipIf(!hasChromium)('a Virtual School administrator manages schools', () => {
  const journey = browserJourney()

  it('adds a school after fixing an error, converts it to an academy and sees the lineage', async () => {
    const base = journey.app.baseUrl
    const page = await signedIn(journey, 'vs.admin@example.org')
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Schools' }).click()
    await page.waitForURL(`${base}/schools`)
    expect(await page.textContent('main')).toContain('Oakbridge Primary School')
    await expectAccessible(page)

    await page.getByRole('button', { name: 'Add a school' }).click()
    await expectAccessible(page)
    await page.getByLabel('Name').fill('Ysgol Bryn Ŵy')
    await page.getByLabel('URN').fill('12345')
    await page.getByLabel('DfE establishment number').fill('999/6001')
    await page.getByLabel('Type').selectOption('maintained')
    await page.getByLabel('Phase').selectOption('secondary')
    await page.getByRole('button', { name: 'Add school' }).click()
    await new ErrorSummary(page).expectErrorPage('URN must be 6 digits')
    expect(await page.getByLabel('Name').inputValue()).toBe('Ysgol Bryn Ŵy')
    await expectAccessible(page)
    await page.getByLabel('URN').fill('990601')
    await page.getByRole('button', { name: 'Add school' }).click()
    await expect.poll(() => page.textContent('main')).toContain('Ysgol Bryn Ŵy added')
    await expectAccessible(page)

    await page.getByRole('button', { name: 'Record an academy conversion' }).click()
    await expectAccessible(page)
    await page.getByLabel('Day').fill('2')
    await page.getByLabel('Month').fill('11')
    await page.getByLabel('Year').fill('2026')
    await page.getByLabel('Name of the academy').fill('Bryn Ŵy Academy')
    await page.getByLabel('New URN').fill('990602')
    await page.getByLabel('New DfE establishment number').fill('999/6002')
    await page.getByRole('button', { name: 'Record conversion' }).click()
    await expect
      .poll(() => page.textContent('main'))
      .toContain('Ysgol Bryn Ŵy converted to Bryn Ŵy Academy')
    expect(await page.textContent('main')).toContain('Ysgol Bryn Ŵy (URN 990601)')
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Ysgol Bryn Ŵy (URN 990601)' }).click()
    await expect.poll(() => page.textContent('main')).toContain('Replaced by')
    expect(await page.textContent('main')).toContain('Closed on 2 November 2026')
    await expectAccessible(page)
    await page.context().close()
  })
})
