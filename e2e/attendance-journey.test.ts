import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { ErrorSummary } from './support/pages/error-summary.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { fillDateById } from './support/pages/fields.ts'
import { signedIn } from './support/pages/sign-in-page.ts'

/*
 * Issue 19 in a browser: a social worker opens a child's attendance, adds a period (refused
 * first: more sessions attended than possible, with what was typed kept), corrects it, records
 * a suspension and a term's attainment; axe checks every page on the way.
 */

describe.skipIf(!hasChromium)("a child's attendance, exclusions and attainment", () => {
  const journey = browserJourney()

  it('adds, corrects and reads them, every page accessible', async () => {
    const page = await signedIn(journey, 'social.worker@example.org')
    await new MyWorkPage(page).openFirstChild()
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Attendance and exclusions' }).click()
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Add attendance for a period' }).click()
    await expectAccessible(page)
    await fillDateById(page, 'startsOn', '1', '9', '2026')
    await fillDateById(page, 'endsOn', '23', '10', '2026')
    await page.getByLabel('Sessions possible').fill('76')
    await page.getByLabel('Sessions attended').fill('80')
    await page.getByLabel('Sessions of authorised absence').fill('0')
    await page.getByLabel('Sessions of unauthorised absence').fill('0')
    await page.getByRole('button', { name: 'Save' }).click()
    await new ErrorSummary(page).expectToContain(
      'Sessions attended (80) cannot be more than the sessions possible (76)',
    )
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
    await fillDateById(page, 'startsOn', '2', '11', '2026')
    await fillDateById(page, 'endsOn', '3', '11', '2026')
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
    await new ErrorSummary(page).expectToContain('Select where they are working now')
    await expectAccessible(page)
    const levels = page.locator('#workingAt option')
    await page.locator('#workingAt').selectOption({ index: 1 })
    await page.locator('#expected').selectOption({ index: (await levels.count()) - 1 })
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.textContent('main')).toContain('Autumn term 2026')
    expect(await page.textContent('main')).toContain('Behind')
    await expectAccessible(page)
    await page.context().close()
  })
})
