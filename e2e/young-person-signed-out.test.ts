import { describe, expect, it } from 'vitest'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO, demoChild, demoUserId } from './support/demo.ts'
import { SignInPage, signedIn } from './support/pages/sign-in-page.ts'
import { YoungPersonViewPage } from './support/pages/young-person-pages.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'
import { makePep } from '../src/testing/factories.ts'

/*
 * Issue 15 (WCAG 2.2.5) for the young person's own words (issue 20): Charlie types an answer, is
 * signed out by 30 idle minutes (the server's clock moves on; nothing sleeps), presses "Save and
 * next", signs in again, and finds what they typed on the same question, with a notice to check
 * it, and saves it. Each page is checked with axe.
 */

describe.skipIf(!hasChromium)('the young person’s views after being signed out', () => {
  const journey = browserJourney()

  it('brings back what Charlie typed after signing in again', { timeout: 60_000 }, async () => {
    const db = journey.app.database.db
    const base = journey.app.baseUrl
    const charlie = await demoChild(db, 'Charlie', 'Young')
    const pepId = await makePep(db, {
      childId: charlie.id,
      term: { academicYear: 2035, name: 'spring' },
      yearGroup: 'Y10',
      startedOn: '2026-11-20',
      createdBy: await demoUserId(db, DEMO.socialWorker),
      at: journey.app.clock.now(),
    })
    const ids = { childId: charlie.id, pepId, viewId: 'yp-future' }
    const url = `${base}${YoungPersonViewPage.path(ids)}`
    const typed = 'Be a vet 🐶 or work with horses'
    const page = await signedIn(journey, DEMO.youngPerson)
    const view = await YoungPersonViewPage.open(page, base, ids)
    await view.answer.fill(typed)
    journey.app.clock.advance(31 * 60_000)
    await view.saveAndNext({ timeout: 10_000, noWaitAfter: true })
    await page.waitForURL(/\/sign-in\?.*notice=unsaved/, { timeout: 20_000 })
    const signIn = SignInPage.on(page)
    await signIn.checkAccessible()
    await signIn.submit(DEMO.youngPerson, DEMO_PASSWORD, { noWaitAfter: true })
    // Signing in hashes the password: on a busy machine that takes longer than a poll's second.
    await page.waitForURL(url, { timeout: 20_000 })
    expect(await view.alertText()).toContain(
      'What you sent was not saved because you were signed out. Check it and send it again.',
    )
    expect(await view.answer.inputValue()).toBe(typed)
    await view.checkAccessible()

    await view.saveAndNext({ noWaitAfter: true })
    await page.waitForURL((now) => now.href !== url, { timeout: 20_000 })
    const saved = await db
      .selectFrom('pep_page')
      .select('answers')
      .where('pep_id', '=', pepId)
      .execute()
    expect(saved.flatMap((p) => Object.values(p.answers))).toContain(typed)
    await page.context().close()
  })
})
