import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'
import { makeChild, makePep } from '../src/testing/factories.ts'

/*
 * Issue 19 in a browser: the PEP's attainment page shows the child's last terms beside the PEP's,
 * refuses a subject given without what is expected (the error summary naming it, the level kept),
 * then saves this term's attainment to the record with the page; axe checks each page.
 */

describe.skipIf(!hasChromium)("the PEP's attainment page and the child's termly attainment", () => {
  const journey = browserJourney()

  it('shows the last terms, refuses a half-given subject, and saves it to the record', async () => {
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
    const childId = await makeChild(db, {
      authorityId: authority.id,
      firstName: 'Sam',
      lastName: 'Grades',
      recordOwnerId: sw.id,
      access: [{ userId: sw.id, capacity: 'social_worker' }],
    })
    const pepId = await makePep(db, { childId, formType: 'secondary', yearGroup: 'Y8' })
    // Last term, on the record: Mathematics at grade 3, expected 4.
    await db
      .insertInto('attainment_entry')
      .values({
        child_id: childId,
        subject: 'Mathematics',
        academic_year: 2025,
        term: 'summer',
        scale: 'gcse',
        working_at: '3',
        expected: '4',
        target: '4',
        recorded_by: sw.id,
        recorded_at: new Date('2026-07-10T12:00:00Z'),
      })
      .execute()

    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await signInAs(page, journey.app.baseUrl, 'social.worker@example.org')
    const url = `${journey.app.baseUrl}/children/${childId}/peps/${pepId}/pages/attainment-and-progress`
    await page.goto(url)
    expect(await page.textContent('main')).toContain('Attainment this term: Autumn term 2026')
    expect(await page.textContent('main')).toMatch(/Summer term 2026\s*Grade 3\s*Grade 4/)
    await expectAccessible(page)

    await page.getByLabel('Mathematics: working at, Autumn term 2026').selectOption('4')
    await page.getByRole('button', { name: 'Save and come back later' }).click()
    await expect
      .poll(() => page.textContent('.govuk-error-summary'))
      .toContain('Mathematics: Select where they are expected to be by the end of the year')
    expect(await page.getByLabel('Mathematics: working at, Autumn term 2026').inputValue()).toBe(
      '4',
    )
    await expectAccessible(page)

    await page.getByLabel('Mathematics: expected by the end of the year').selectOption('5')
    await page.getByRole('button', { name: 'Save and come back later' }).click()
    await page.waitForURL(`${journey.app.baseUrl}/children/${childId}/peps/${pepId}`)
    await page.goto(url)
    expect(await page.textContent('main')).toMatch(
      /Autumn term 2026 \(now on the record\)\s*Grade 4\s*Grade 5/,
    )
    await expectAccessible(page)
    const saved = await db
      .selectFrom('attainment_entry')
      .select(['working_at', 'expected'])
      .where('child_id', '=', childId)
      .where('academic_year', '=', 2026)
      .where('term', '=', 'autumn')
      .execute()
    expect(saved).toEqual([{ working_at: '4', expected: '5' }])
    await context.close()
  })
})
