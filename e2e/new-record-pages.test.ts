import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

/*
 * The record's newer pages in a browser, each checked with axe in every state a person meets:
 * inviting a carer (issue 20), recording and correcting an exclusion and entering statutory
 * results (issue 19), refused first with the error summary, then saved.
 */

async function date(page: Page, prefix: string, day: string, month: string, year: string) {
  await page.locator(`#${prefix}-day`).fill(day)
  await page.locator(`#${prefix}-month`).fill(month)
  await page.locator(`#${prefix}-year`).fill(year)
}

async function refusedThenAccessible(page: Page, expected: string) {
  await page.locator('.govuk-error-summary').waitFor()
  expect(await page.textContent('.govuk-error-summary')).toContain(expected)
  await expectAccessible(page)
}

describe.skipIf(!hasChromium)('the record’s carers, exclusions and statutory results', () => {
  const journey = browserJourney()

  it('a social worker invites a carer, refused first, every page accessible', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await signInAs(page, journey.app.baseUrl, 'social.worker@example.org')
    await page.locator('main table tbody a').first().click()
    await page.waitForURL(/\/children\/[0-9a-f-]{36}$/)
    const record = page.url()

    await page.goto(`${record}/carers`)
    await expectAccessible(page)
    await page.goto(`${record}/carers/invite`)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await refusedThenAccessible(page, 'Enter')
    await page.getByLabel('Full name').fill('Robin Carer 🌻')
    await page.getByLabel('Email address').fill('robin.carer@example.net')
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await page.waitForURL(/\/carers$/)
    expect(await page.textContent('main')).toContain('Robin Carer 🌻')
    await expectAccessible(page)
    await context.close()
  })

  it('the Virtual School records and corrects an exclusion and enters statutory results', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await signInAs(page, journey.app.baseUrl, 'social.worker@example.org')
    await page.locator('main table tbody a').first().click()
    await page.waitForURL(/\/children\/[0-9a-f-]{36}$/)
    const record = page.url()
    await context.close()

    const vs = await newContext(journey.browser)
    const staff = await vs.newPage()
    await signInAs(staff, journey.app.baseUrl, 'vs.consultant@example.org')

    await staff.goto(`${record}/exclusions/new`)
    await expectAccessible(staff)
    await staff.getByRole('button', { name: 'Save' }).click()
    await refusedThenAccessible(staff, 'suspension or a permanent exclusion')
    await staff.getByLabel('Suspension').check()
    await date(staff, 'startsOn', '2', '11', '2026')
    await date(staff, 'endsOn', '3', '11', '2026')
    await staff.getByLabel('Sessions missed').fill('4')
    await staff.locator('#reason').selectOption({ index: 1 })
    await staff.getByRole('button', { name: 'Save' }).click()
    await staff.waitForURL(/\/attendance$/)
    await expectAccessible(staff)

    await staff
      .getByRole('link', { name: /^Correct the suspension/ })
      .first()
      .click()
    await staff.waitForURL(/\/exclusions\/[0-9a-f-]{36}\/correct$/)
    await expectAccessible(staff)
    await staff.getByLabel('Sessions missed').fill('')
    await staff.getByRole('button', { name: 'Save' }).click()
    await refusedThenAccessible(staff, 'Enter the sessions missed')

    for (const kind of ['ks2', 'gcse']) {
      await staff.goto(`${record}/attainment/statutory/${kind}`)
      await expectAccessible(staff)
    }
    await staff.goto(`${record}/attainment/statutory/phonics`)
    await expectAccessible(staff)
    await staff.getByLabel('Mark', { exact: true }).fill('41')
    await staff.getByRole('button', { name: 'Save' }).click()
    await refusedThenAccessible(staff, 'The mark must be from 0 to 40')
    await staff.getByLabel('Mark', { exact: true }).fill('32')
    await staff.getByRole('button', { name: 'Save' }).click()
    await staff.waitForURL(/\/attainment#statutory$/)
    expect(await staff.textContent('main')).toContain('32')
    await expectAccessible(staff)
    await vs.close()
  })
})
