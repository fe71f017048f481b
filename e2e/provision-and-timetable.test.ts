import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { fillDateById } from './support/pages/fields.ts'
import { signedIn } from './support/pages/sign-in-page.ts'

/*
 * Issue 17 in a browser: a social worker records a part-time timetable on a child's record
 * (refused first, with the error summary), then its last day; the Virtual School head opens the
 * dashboard and the list behind the new cohort figures. axe on every page and state.
 */

describe.skipIf(!hasChromium)('alternative provision, part-time timetables and NEET', () => {
  const journey = browserJourney()

  it('records a part-time timetable and its last day, every page accessible', async () => {
    const page = await signedIn(journey, 'social.worker@example.org')
    await new MyWorkPage(page).openFirstChild()
    expect(await page.textContent('main')).toContain('Provision and timetable')
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Provision and timetable' }).first().click()
    await page.waitForURL(/\/provision-and-timetable$/)
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Record a part-time timetable' }).click()
    await expectAccessible(page)
    await page.getByLabel('Hours a week in education').fill('40')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('.govuk-error-summary').waitFor()
    const errors = (await page.textContent('.govuk-error-summary')) ?? ''
    expect(errors).toContain('fewer than a full-time week of 32.5 hours')
    expect(errors).toContain('Enter the reason for the part-time timetable')
    expect(errors).toContain('Enter the first day')
    await expectAccessible(page)

    await page.getByLabel('Hours a week in education').fill('15')
    await page.getByLabel('Why is the child on a part-time timetable?').fill('Phased return')
    await fillDateById(page, 'startsOn', '2', '11', '2026')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Part-time timetable recorded').waitFor()
    expect(await page.textContent('main')).toContain('On a part-time timetable of 15 hours a week')
    await expectAccessible(page)

    await page.getByRole('link', { name: /Record the last day/ }).click()
    await expectAccessible(page)
    await fillDateById(page, 'endsOn', '1', '11', '2026')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('.govuk-error-summary').waitFor()
    expect(await page.textContent('.govuk-error-summary')).toContain(
      'The last day must be the same as or after the first day',
    )
    await expectAccessible(page)
    await fillDateById(page, 'endsOn', '20', '11', '2026')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.waitForURL(/\/provision-and-timetable$/)
    expect(await page.textContent('main')).toContain('20 November 2026')
    await page.context().close()
  })

  it('shows the Virtual School head the cohort figures and the list behind one', async () => {
    const page = await signedIn(journey, 'vs.head@example.org')
    await page.goto(`${journey.app.baseUrl}/oversight`)
    expect(await page.textContent('main')).toContain(
      'Alternative provision, part-time timetables and NEET',
    )
    await expectAccessible(page)
    await page.locator('main a[href*="circumstance=neet"]').first().click()
    await page.waitForURL(/circumstance=neet/)
    await expectAccessible(page)
    await page.context().close()
  })
})
