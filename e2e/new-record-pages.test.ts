import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { ErrorSummary } from './support/pages/error-summary.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { fillDateById } from './support/pages/fields.ts'
import { signedIn } from './support/pages/sign-in-page.ts'

/*
 * The record's newer pages in a browser, each checked with axe in every state a person meets:
 * inviting a carer (issue 20), recording and correcting an exclusion and entering statutory
 * results (issue 19), refused first with the error summary, then saved.
 */

describe.skipIf(!hasChromium)('the record’s carers, exclusions and statutory results', () => {
  const journey = browserJourney()

  it('a social worker invites a carer, refused first, every page accessible', async () => {
    const page = await signedIn(journey, 'social.worker@example.org')
    await new MyWorkPage(page).openFirstChild()
    const record = page.url()

    await page.goto(`${record}/carers`)
    await expectAccessible(page)
    await page.goto(`${record}/carers/invite`)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await new ErrorSummary(page).expectAccessibleRefusal('Enter')
    await page.getByLabel('Full name').fill('Robin Carer 🌻')
    await page.getByLabel('Email address').fill('robin.carer@example.net')
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await page.waitForURL(/\/carers$/)
    expect(await page.textContent('main')).toContain('Robin Carer 🌻')
    await expectAccessible(page)
    await page.context().close()
  })

  it('the Virtual School records and corrects an exclusion and enters statutory results', async () => {
    const page = await signedIn(journey, 'social.worker@example.org')
    await new MyWorkPage(page).openFirstChild()
    const record = page.url()
    await page.context().close()

    const staff = await signedIn(journey, 'vs.consultant@example.org')

    await staff.goto(`${record}/exclusions/new`)
    await expectAccessible(staff)
    await staff.getByRole('button', { name: 'Save' }).click()
    await new ErrorSummary(staff).expectAccessibleRefusal('suspension or a permanent exclusion')
    await staff.getByLabel('Suspension').check()
    await fillDateById(staff, 'startsOn', '2', '11', '2026')
    await fillDateById(staff, 'endsOn', '3', '11', '2026')
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
    await new ErrorSummary(staff).expectAccessibleRefusal('Enter the sessions missed')

    for (const kind of ['ks2', 'gcse']) {
      await staff.goto(`${record}/attainment/statutory/${kind}`)
      await expectAccessible(staff)
    }
    await staff.goto(`${record}/attainment/statutory/phonics`)
    await expectAccessible(staff)
    await staff.getByLabel('Mark', { exact: true }).fill('41')
    await staff.getByRole('button', { name: 'Save' }).click()
    await new ErrorSummary(staff).expectAccessibleRefusal('The mark must be from 0 to 40')
    await staff.getByLabel('Mark', { exact: true }).fill('32')
    await staff.getByRole('button', { name: 'Save' }).click()
    await staff.waitForURL(/\/attainment#statutory$/)
    expect(await staff.textContent('main')).toContain('32')
    await expectAccessible(staff)
    await staff.context().close()
  })
})
