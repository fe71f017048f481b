import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'
import { makeChild } from '../src/testing/factories.ts'

/*
 * Issue 19 in a browser: the social worker's tray shows the initial PEP's deadlines of a child
 * who entered care three weeks ago, "Late" where passed, and the table passes axe.
 */

describe.skipIf(!hasChromium)("the social worker's tray: statutory deadlines", () => {
  const journey = browserJourney()

  it('lists the initial PEP’s deadlines with Late, accessibly', async () => {
    const db = journey.app.database.db
    const sw = await db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'social.worker@example.org')
      .executeTakeFirstOrThrow()
    const authority = await db
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'HFD')
      .executeTakeFirstOrThrow()
    const today = journey.app.clock.now()
    const entered = new Date(today.getTime() - 21 * 86_400_000).toISOString().slice(0, 10)
    const childId = await makeChild(db, {
      authorityId: authority.id,
      firstName: 'Noor',
      lastName: 'Newcomer',
      enteredCareOn: entered,
      recordOwnerId: sw.id,
      access: [{ userId: sw.id, capacity: 'social_worker' }],
    })
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await signInAs(page, journey.app.baseUrl, 'social.worker@example.org')
    await page.goto(`${journey.app.baseUrl}/tray`)
    const row = page.locator('[data-deadlines] tr', {
      has: page.locator(`a[href="/children/${childId}"]`),
    })
    await expect.poll(() => row.count()).toBe(2)
    expect(await row.first().textContent()).toMatch(/Initial PEP: Initiate by .*\s*Late/)
    await expectAccessible(page)
    await context.close()
  })
})
