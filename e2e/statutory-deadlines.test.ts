import { describe, expect, it } from 'vitest'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO, newDemoChild } from './support/demo.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { TrayPage } from './support/pages/tray-page.ts'

/*
 * Issue 19 in a browser: the social worker's tray shows the initial PEP's deadlines of a child
 * who entered care three weeks ago, "Late" where passed, and the table passes axe.
 */

describe.skipIf(!hasChromium)("the social worker's tray: statutory deadlines", () => {
  const journey = browserJourney()

  it('lists the initial PEP’s deadlines with Late, accessibly', async () => {
    const db = journey.app.database.db
    const today = journey.app.clock.now()
    const entered = new Date(today.getTime() - 21 * 86_400_000).toISOString().slice(0, 10)
    const childId = await newDemoChild(db, {
      firstName: 'Noor',
      lastName: 'Newcomer',
      enteredCareOn: entered,
      schoolId: null,
      dateOfBirth: '2013-05-10',
      access: [[DEMO.socialWorker, 'social_worker']],
    })
    const page = await signedIn(journey, DEMO.socialWorker)
    const tray = await TrayPage.open(page, journey.app.baseUrl)
    const row = page.locator('[data-deadlines] tr', {
      has: page.locator(`a[href="/children/${childId}"]`),
    })
    await expect.poll(() => row.count()).toBe(2)
    expect(await row.first().textContent()).toMatch(/Initial PEP: Initiate by .*\s*Late/)
    await tray.checkAccessible()
    await page.context().close()
  })
})
