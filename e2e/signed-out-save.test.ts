import { describe, expect, it } from 'vitest'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO } from './support/demo.ts'
import { PepPagePage } from './support/pages/pep-pages.ts'
import { SignInPage, signedIn } from './support/pages/sign-in-page.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'
import { findTemplate } from '../src/forms/templates/index.ts'
import { mayEditPage } from '../src/forms/completion.ts'

/*
 * Issue 15 (WCAG 2.2.5): a social worker types on a PEP page, is signed out by 30 idle minutes
 * (the server's clock moves on; nothing sleeps), presses save, signs in again, and finds what
 * they typed on the page, with a notice to check it and save again, and saves it. (The browser's
 * own clock does not move, so the timeout warning stays out of the way.)
 */

describe.skipIf(!hasChromium)('saving a PEP page after being signed out', () => {
  const journey = browserJourney()

  it('brings back what was typed after signing in again', { timeout: 60_000 }, async () => {
    const db = journey.app.database.db
    const pep = await db
      .selectFrom('pep')
      .innerJoin('child_access as a', 'a.child_id', 'pep.child_id')
      .innerJoin('app_user as u', 'u.id', 'a.user_id')
      .select(['pep.id', 'pep.child_id', 'pep.form_type', 'pep.template_version'])
      .where('u.email', '=', DEMO.socialWorker)
      .where('a.capacity', '=', 'social_worker')
      .where('pep.status', '!=', 'signed_off')
      .orderBy('pep.created_at')
      .executeTakeFirstOrThrow()
    const sectionA = findTemplate(pep.form_type, pep.template_version)!.sections[0]!
    const page_ = sectionA.pages.find(
      (p) =>
        !p.condition &&
        mayEditPage(sectionA, p, 'social_worker') &&
        p.questions.some((q) => q.type === 'longText'),
    )!
    const question = page_.questions.find((q) => q.type === 'longText')!
    const base = journey.app.baseUrl
    const contentsUrl = `${base}/children/${pep.child_id}/peps/${pep.id}`
    const url = `${contentsUrl}/pages/${page_.id}`
    const typed = 'Enjoys art club; would like help with maths homework'
    const page = await signedIn(journey, DEMO.socialWorker)
    const pepPage = await PepPagePage.open(page, contentsUrl, page_.id)
    await pepPage.textArea(question.id).fill(typed)
    journey.app.clock.advance(31 * 60_000)
    await pepPage.saveAndComeBackLater({ timeout: 10_000, noWaitAfter: true })
    await expect.poll(() => page.url()).toMatch(/\/sign-in\?.*notice=unsaved/)
    const signIn = SignInPage.on(page)
    expect(await signIn.mainText()).toContain(
      'You were signed out, so what you sent was not saved yet',
    )
    await signIn.checkAccessible()
    await signIn.submit(DEMO.socialWorker, DEMO_PASSWORD, { noWaitAfter: true })
    await expect.poll(() => page.url()).toBe(url)
    expect(await pepPage.alertText()).toContain(
      'Your answers were not saved because you were signed out. Check them and save again.',
    )
    expect(await pepPage.textArea(question.id).inputValue()).toBe(typed)
    await pepPage.checkAccessible()

    await pepPage.saveAndComeBackLater({ noWaitAfter: true })
    await expect.poll(() => page.url()).toMatch(/\/peps\/[0-9a-f-]{36}$/)
    const stored = await db
      .selectFrom('pep_page')
      .select('answers')
      .where('pep_id', '=', pep.id)
      .where('page_id', '=', page_.id)
      .executeTakeFirstOrThrow()
    expect(stored.answers[question.id]).toBe(typed)
    await page.context().close()
  })
})
