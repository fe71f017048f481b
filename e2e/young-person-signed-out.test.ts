import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'
import { insertPep } from '../src/features/peps/peps.repository.ts'

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
    const charlie = await db
      .selectFrom('child')
      .selectAll()
      .where('first_name', '=', 'Charlie')
      .where('last_name', '=', 'Young')
      .executeTakeFirstOrThrow()
    const sw = await db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'social.worker@example.org')
      .executeTakeFirstOrThrow()
    const pepId = await insertPep(db, {
      childId: charlie.id,
      authorityId: charlie.authority_id,
      term: { academicYear: 2035, name: 'spring' },
      formType: 'secondary',
      templateVersion: 1,
      yearGroup: 'Y10',
      schoolId: charlie.school_id,
      changeOfSchool: false,
      startedOn: '2026-11-20',
      meetingOn: null,
      carriedFromId: null,
      createdBy: sw.id,
      at: journey.app.clock.now(),
    })
    const url = `${journey.app.baseUrl}/my-pep/${charlie.id}/peps/${pepId}/views/yp-future`
    const typed = 'Be a vet 🐶 or work with horses'
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await signInAs(page, journey.app.baseUrl, 'young.person@example.org')
    await page.goto(url)
    await page.locator('#answer').fill(typed)
    journey.app.clock.advance(31 * 60_000)
    await page
      .getByRole('button', { name: 'Save and next' })
      .click({ timeout: 10_000, noWaitAfter: true })
    await page.waitForURL(/\/sign-in\?.*notice=unsaved/, { timeout: 20_000 })
    await expectAccessible(page)
    await page.getByLabel('Email address').fill('young.person@example.org')
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click({ noWaitAfter: true })
    // Signing in hashes the password: on a busy machine that takes longer than a poll's second.
    await page.waitForURL(url, { timeout: 20_000 })
    expect(await page.getByRole('alert').textContent()).toContain(
      'What you sent was not saved because you were signed out. Check it and send it again.',
    )
    expect(await page.locator('#answer').inputValue()).toBe(typed)
    await expectAccessible(page)

    await page.getByRole('button', { name: 'Save and next' }).click({ noWaitAfter: true })
    await page.waitForURL((now) => now.href !== url, { timeout: 20_000 })
    const saved = await db
      .selectFrom('pep_page')
      .select('answers')
      .where('pep_id', '=', pepId)
      .execute()
    expect(saved.flatMap((p) => Object.values(p.answers))).toContain(typed)
    await context.close()
  })
})
