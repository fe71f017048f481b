import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'
import { DEMO, demoUserId, newDemoChild } from './support/demo.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { PepPagePage } from './support/pages/pep-pages.ts'
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
    const childId = await newDemoChild(db, {
      firstName: 'Sam',
      lastName: 'Grades',
      schoolId: null,
      dateOfBirth: '2013-05-10',
      access: [[DEMO.socialWorker, 'social_worker']],
    })
    const sw = await demoUserId(db, DEMO.socialWorker)
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
        recorded_by: sw,
        recorded_at: new Date('2026-07-10T12:00:00Z'),
      })
      .execute()

    const page = await signedIn(journey, DEMO.socialWorker)
    const contentsUrl = `${journey.app.baseUrl}/children/${childId}/peps/${pepId}`
    const url = `${contentsUrl}/pages/attainment-and-progress`
    const attainment = await PepPagePage.open(page, contentsUrl, 'attainment-and-progress')
    expect(await page.textContent('main')).toContain('Attainment this term: Autumn term 2026')
    expect(await page.textContent('main')).toMatch(/Summer term 2026\s*Grade 3\s*Grade 4/)
    await attainment.checkAccessible()

    await page.getByLabel('Mathematics: working at, Autumn term 2026').selectOption('4')
    await attainment.saveAndComeBackLater()
    await attainment.errorSummary.expectToContain(
      'Mathematics: Select where they are expected to be by the end of the year',
    )
    expect(await page.getByLabel('Mathematics: working at, Autumn term 2026').inputValue()).toBe(
      '4',
    )
    await attainment.checkAccessible()

    await page.getByLabel('Mathematics: expected by the end of the year').selectOption('5')
    await attainment.saveAndReturn()
    await page.goto(url)
    expect(await page.textContent('main')).toMatch(
      /Autumn term 2026 \(now on the record\)\s*Grade 4\s*Grade 5/,
    )
    await attainment.checkAccessible()
    const saved = await db
      .selectFrom('attainment_entry')
      .select(['working_at', 'expected'])
      .where('child_id', '=', childId)
      .where('academic_year', '=', 2026)
      .where('term', '=', 'autumn')
      .execute()
    expect(saved).toEqual([{ working_at: '4', expected: '5' }])
    await page.context().close()
  })

  it('on version 2 asks no subject twice, and keeps the levels typed when the other save is kept', async () => {
    const db = journey.app.database.db
    const user = (email: string) =>
      db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirstOrThrow()
    const sw = await user('social.worker@example.org')
    const pa = await user('personal.advisor@example.org')
    const authority = await db
      .selectFrom('authority')
      .select('id')
      .where('code', '=', 'HFD')
      .executeTakeFirstOrThrow()
    const childId = await makeChild(db, {
      authorityId: authority.id,
      firstName: 'Noor',
      lastName: 'Twice',
      recordOwnerId: sw.id,
      access: [
        { userId: sw.id, capacity: 'social_worker' },
        { userId: pa.id, capacity: 'personal_advisor' },
      ],
    })
    const pepId = await makePep(db, {
      childId,
      formType: 'secondary',
      templateVersion: 2,
      yearGroup: 'Y8',
    })
    const url = `${journey.app.baseUrl}/children/${childId}/peps/${pepId}/pages/attainment-and-progress`
    const mine = await newContext(journey.browser)
    const theirs = await newContext(journey.browser)
    const swPage = await mine.newPage()
    const paPage = await theirs.newPage()
    await signInAs(swPage, journey.app.baseUrl, 'social.worker@example.org')
    await signInAs(paPage, journey.app.baseUrl, 'personal.advisor@example.org')
    // Both open the page; version 2 has the table and no subject questions of its own.
    await swPage.goto(url)
    await paPage.goto(url)
    expect(await swPage.textContent('main')).toContain('they are not asked again here')
    expect(await swPage.locator('[name^="subject-grades"]').count()).toBe(0)
    await expectAccessible(swPage)
    // The personal adviser saves first.
    await paPage.getByLabel('English: working at, Autumn term 2026').selectOption('5')
    await paPage.getByLabel('English: expected by the end of the year').selectOption('5')
    await paPage.locator('[name="attainment-summary"]').fill('Reading well in English.')
    await paPage.getByRole('button', { name: 'Save and come back later' }).click()
    await paPage.waitForURL(`${journey.app.baseUrl}/children/${childId}/peps/${pepId}`)
    // The social worker, from the page opened before, meets the conflict with their levels shown.
    await swPage.getByLabel('English: working at, Autumn term 2026').selectOption('3')
    await swPage.getByLabel('English: expected by the end of the year').selectOption('5')
    await swPage.locator('[name="attainment-summary"]').fill('English behind this term.')
    await swPage.getByRole('button', { name: 'Save and come back later' }).click()
    await swPage.getByRole('heading', { name: 'Someone else has changed this page' }).waitFor()
    expect(await swPage.textContent('main')).toMatch(
      /English, Autumn term 2026\s*Grade 5, expected Grade 5\s*Grade 3, expected Grade 5/,
    )
    await expectAccessible(swPage)
    await swPage.getByRole('button', { name: /^Keep .*’s answers$/ }).click()
    await swPage.waitForURL(url)
    expect(await swPage.textContent('main')).toContain(
      'Not chosen when two people saved this page at once: Grade 3, expected Grade 5',
    )
    await expectAccessible(swPage)
    await swPage.goto(`${journey.app.baseUrl}/children/${childId}/attainment`)
    expect(await swPage.textContent('main')).toContain('Not chosen: Grade 3, expected Grade 5')
    await expectAccessible(swPage)
    await mine.close()
    await theirs.close()
  })

  it('gives an Early Years PEP the table on its achievements page, on the early learning goals', async () => {
    const db = journey.app.database.db
    const childId = await newDemoChild(db, {
      firstName: 'Ivy',
      lastName: 'Goals',
      schoolId: null,
      dateOfBirth: '2022-01-10',
      access: [[DEMO.socialWorker, 'social_worker']],
    })
    const pepId = await makePep(db, { childId, formType: 'early_years', yearGroup: 'R' })
    const page = await signedIn(journey, DEMO.socialWorker)
    const contentsUrl = `${journey.app.baseUrl}/children/${childId}/peps/${pepId}`
    const achievements = await PepPagePage.open(page, contentsUrl, 'achievements')
    expect(await page.textContent('main')).toContain('Attainment this term: Autumn term 2026')
    expect(await page.textContent('main')).toContain('Early years goals')
    await achievements.checkAccessible()
    await page
      .getByLabel('Communication and language: working at, Autumn term 2026')
      .selectOption('emerging')
    await page
      .getByLabel('Communication and language: expected by the end of the year')
      .selectOption('expected')
    await achievements.saveAndReturn()
    await page.goto(`${contentsUrl}/pages/achievements`)
    expect(await page.textContent('main')).toMatch(
      /Autumn term 2026 \(now on the record\)\s*Emerging\s*Expected \(early learning goal met\)/,
    )
    await achievements.checkAccessible()
    const saved = await db
      .selectFrom('attainment_entry')
      .select(['subject', 'scale', 'working_at', 'expected'])
      .where('child_id', '=', childId)
      .execute()
    expect(saved).toEqual([
      {
        subject: 'Communication and language',
        scale: 'early-years',
        working_at: 'emerging',
        expected: 'expected',
      },
    ])
    await page.context().close()
  })
})
