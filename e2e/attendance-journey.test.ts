import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

/*
 * Issue 19 in a browser: a social worker opens a child's attendance, adds a period (refused
 * first: more sessions attended than possible, with what was typed kept), corrects it, records
 * a suspension and a term's attainment; axe checks every page on the way.
 */

async function date(page: Page, name: string, d: string, m: string, y: string) {
  await page.locator(`#${name}-day`).fill(d)
  await page.locator(`#${name}-month`).fill(m)
  await page.locator(`#${name}-year`).fill(y)
}

describe.skipIf(!hasChromium)("a child's attendance, exclusions and attainment", () => {
  const journey = browserJourney()

  it('adds, corrects and reads them, every page accessible', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await signInAs(page, journey.app.baseUrl, 'social.worker@example.org')
    await page.locator('main table tbody a').first().click()
    await page.waitForURL(/\/children\/[0-9a-f-]{36}$/)
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Attendance and exclusions' }).click()
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Add attendance for a period' }).click()
    await expectAccessible(page)
    await date(page, 'startsOn', '1', '9', '2026')
    await date(page, 'endsOn', '23', '10', '2026')
    await page.getByLabel('Sessions possible').fill('76')
    await page.getByLabel('Sessions attended').fill('80')
    await page.getByLabel('Sessions of authorised absence').fill('0')
    await page.getByLabel('Sessions of unauthorised absence').fill('0')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect
      .poll(() => page.textContent('.govuk-error-summary'))
      .toContain('Sessions attended (80) cannot be more than the sessions possible (76)')
    expect(await page.getByLabel('Sessions attended').inputValue()).toBe('80')
    await expectAccessible(page)
    await page.getByLabel('Sessions attended').fill('68')
    await page.getByLabel('Sessions of authorised absence').fill('6')
    await page.getByLabel('Sessions of unauthorised absence').fill('2')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.textContent('main')).toContain('89.5%')
    expect(await page.textContent('main')).toContain('Persistent absence')
    await expectAccessible(page)

    await page
      .getByRole('link', { name: /^Correct/ })
      .first()
      .click()
    await expectAccessible(page)
    await page.getByLabel('Sessions attended').fill('70')
    await page.getByLabel('Sessions of authorised absence').fill('4')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.textContent('main')).toContain('92.1%')
    expect(await page.textContent('main')).toContain('Earlier figures (1)')
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Record an exclusion' }).click()
    await expectAccessible(page)
    await page.getByLabel('Suspension').check()
    await date(page, 'startsOn', '2', '11', '2026')
    await date(page, 'endsOn', '3', '11', '2026')
    await page.getByLabel('Sessions missed').fill('4')
    await page.getByLabel('Reason').selectOption('damage')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.textContent('main')).toContain('Suspension, 2 November 2026')
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Attainment', exact: true }).click()
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Record attainment for a term' }).click()
    await expectAccessible(page)
    await page.getByLabel('Subject', { exact: true }).selectOption('Reading')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect
      .poll(() => page.textContent('.govuk-error-summary'))
      .toContain('Select where they are working now')
    await expectAccessible(page)
    const levels = page.locator('#workingAt option')
    await page.locator('#workingAt').selectOption({ index: 1 })
    await page.locator('#expected').selectOption({ index: (await levels.count()) - 1 })
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.textContent('main')).toContain('Autumn term 2026')
    expect(await page.textContent('main')).toContain('Behind')
    await expectAccessible(page)
    await context.close()
  })
})
