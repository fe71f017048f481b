import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { ErrorSummary } from './support/pages/error-summary.ts'

/*
 * The Virtual School's oversight in Chromium: a consultant opens the dashboard, looks at a past
 * term, follows a figure to the children behind it, filters, downloads the list, and sends a
 * reminder about an overdue PEP (refused first, with nothing selected), all without JavaScript
 * being needed; axe on every page.
 */

describe.skipIf(!hasChromium)('a consultant oversees the cohort', () => {
  const journey = browserJourney()

  it('goes from the dashboard to the overdue list, downloads it and sends a reminder', async () => {
    // A Harrowfield PEP past its target date (last Friday), so the overdue list has a child.
    const db = journey.app.database.db
    const child = await db
      .selectFrom('pep as p')
      .innerJoin('child as c', 'c.id', 'p.child_id')
      .innerJoin('authority as a', 'a.id', 'c.authority_id')
      .select(['p.id as pepId', 'c.last_name', 'c.first_name'])
      .where('a.code', '=', 'HFD')
      .where('c.status', '=', 'in_care')
      .where('c.record_owner_id', 'is not', null)
      .where('p.academic_year', '=', 2026)
      .where('p.term', '=', 'autumn')
      .where('p.change_of_school', '=', false)
      .where('p.status', '!=', 'signed_off')
      .orderBy('c.last_name')
      .executeTakeFirstOrThrow()
    await db
      .updateTable('pep')
      .set({ target_on: '2026-11-20' })
      .where('id', '=', child.pepId)
      .execute()
    const name = `${child.last_name}, ${child.first_name}`

    const base = journey.app.baseUrl
    const page = await signedIn(journey, 'vs.consultant@example.org')
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click()
    await page.waitForURL(`${base}/oversight`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Virtual School dashboard',
    )
    expect(await page.textContent('main')).toContain('Autumn term 2026')
    await expectAccessible(page)

    // A past term, through the form.
    await page.getByLabel('Term', { exact: true }).selectOption('2026-summer')
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL(/term=2026-summer/)
    expect(await page.textContent('main')).toContain('Summer term 2026')
    await expectAccessible(page)

    // Back to this term, and the children past their target date.
    await page.getByLabel('Term', { exact: true }).selectOption('2026-autumn')
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL(/term=2026-autumn/)
    await page.locator('a[href*="overdue=past_target"]').click()
    await page.waitForURL(/\/oversight\/children\?.*overdue=past_target/)
    expect(await page.textContent('main')).toContain(name)
    await expectAccessible(page)

    // Download the list as a CSV file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV file of these children' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/\.csv$/)

    // Send with nothing selected: an error summary that links to the question.
    await page.getByRole('button', { name: 'Send reminders about the selected children' }).click()
    await new ErrorSummary(page).expectErrorPage(
      'Select the children whose PEPs to send reminders about',
    )
    await expectAccessible(page)

    await page.getByLabel(`Remind about ${name}`).check()
    await page.getByRole('button', { name: 'Send reminders about the selected children' }).click()
    await page.waitForURL(/\/oversight\/children\?.*overdue=past_target/)
    expect(await page.textContent('.govuk-notification-banner')).toContain(
      'Reminders sent to 1 person about 1 child.',
    )
    await expectAccessible(page)

    // The annual report, printable, from the dashboard.
    await page.getByRole('link', { name: 'Back to the dashboard' }).click()
    await page.getByRole('link', { name: 'Annual report' }).click()
    await page.waitForURL(/\/oversight\/annual-report/)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Annual report 2026/27',
    )
    await expectAccessible(page)
    await page.getByLabel('Academic year').selectOption('2025')
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL(/year=2025/)
    expect(await page.textContent('main')).toContain('Summer term 2026')
    await expectAccessible(page)

    // The children list sorted by a column header, the other way round by a second click.
    await page.goto(`${base}/oversight/children`)
    await page.getByRole('link', { name: 'Target date', exact: true }).click()
    await page.waitForURL(/sort=target&dir=ascending/)
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain('Target date')
    await page.getByRole('link', { name: /^Target date/ }).click()
    await page.waitForURL(/sort=target&dir=descending/)
    await expectAccessible(page)

    // The schools that have not sent this term's data, from the dashboard; asking with none
    // selected is an error that links to the question.
    await page.goto(`${base}/oversight`)
    await page
      .getByRole('link', {
        name: 'Schools that have not sent this term’s attendance or attainment',
      })
      .click()
    await page.waitForURL(/\/oversight\/missing-data/)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Ask the selected schools' }).click()
    await expect.poll(() => page.title()).toMatch(/^Error: /)
    await expectAccessible(page)
    await page.locator('input[name="schools"]').first().check()
    await page.getByRole('button', { name: 'Ask the selected schools' }).click()
    await page.waitForURL(/\/oversight\/missing-data\?/)
    expect(await page.textContent('.govuk-notification-banner')).toContain('Asked 1 school')
    await expectAccessible(page)
    await page.context().close()
  })
})
