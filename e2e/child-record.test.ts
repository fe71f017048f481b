import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'
import { DEMO, newDemoChild } from './support/demo.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { ChildRecordPage } from './support/pages/child-record-page.ts'
import { makeAttainmentEntry } from '../src/testing/factories.ts'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

describe.skipIf(!hasChromium)('a social worker finds their child and reads the record', () => {
  const journey = browserJourney()

  it('goes from My work to the record, its notes, documents and history', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await page.goto(`${journey.app.baseUrl}/sign-in`)
    await page.getByLabel('Email address').fill('social.worker@example.org')
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${journey.app.baseUrl}/`)
    expect(await page.textContent('main')).toMatch(/Showing 1 to \d+ of \d+ children\./)
    await expectAccessible(page)

    const firstChild = page.locator('main table tbody a').first()
    const name = (await firstChild.textContent())!.trim()
    await firstChild.click()
    await page.waitForURL(/\/children\/[0-9a-f-]{36}$/)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(name)
    expect(await page.textContent('main')).toContain('Users with access to this record')
    await expectAccessible(page)

    // A note, with an error first.
    await page.getByRole('link', { name: 'Notes' }).click()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Add note' }).click()
    await expect.poll(() => page.title()).toMatch(/^Error: /)
    expect(await page.textContent('.govuk-error-summary')).toContain('Select the type of note')
    await expectAccessible(page)
    await page.getByLabel('Case note').check()
    await page.getByLabel('Note', { exact: true }).fill('Spoke to the carer: settled well 😀')
    await page.getByRole('button', { name: 'Add note' }).click()
    await expect
      .poll(() => page.textContent('main'))
      .toContain('Spoke to the carer: settled well 😀')
    await expectAccessible(page)

    // A document.
    await page.getByRole('link', { name: 'Documents' }).click()
    await page.getByLabel('Title').fill('Support plan')
    await page
      .getByLabel('File')
      .setInputFiles({ name: 'support-plan.pdf', mimeType: 'application/pdf', buffer: PDF })
    await page.getByRole('button', { name: 'Upload' }).click()
    await expect.poll(() => page.textContent('main')).toContain('Download support-plan.pdf')
    await expectAccessible(page)

    // School history and a change of placement.
    await page.getByRole('link', { name: 'School history and events' }).click()
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Record a change of placement' }).click()
    await expectAccessible(page)
    await page.getByLabel('New placement').fill('Foster care with the Ó Briain family')
    await page.getByLabel('Day').fill('31')
    await page.getByLabel('Month').fill('2')
    await page.getByLabel('Year').fill('2026')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect
      .poll(() => page.textContent('.govuk-error-summary'))
      .toContain('The date of the change must be a real date')
    expect(await page.getByLabel('New placement').inputValue()).toBe(
      'Foster care with the Ó Briain family',
    )
    await expectAccessible(page)
    await page.getByLabel('Day').fill('20')
    await page.getByLabel('Month').fill('11')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect
      .poll(() => page.textContent('main'))
      .toContain('Placement changed on 20 November 2026: Foster care with the Ó Briain family')
    await expectAccessible(page)
    await context.close()
  })

  it('sees a subject not making expected progress on the record, and its terms a click away', async () => {
    const db = journey.app.database.db
    const childId = await newDemoChild(db, {
      firstName: 'Rae',
      lastName: 'Behind',
      schoolId: null,
      dateOfBirth: '2017-03-01',
      access: [[DEMO.socialWorker, 'social_worker']],
    })
    // Behind in Reading last term (summer) and this term (autumn 2026).
    for (const term of [
      { academicYear: 2025, name: 'summer' },
      { academicYear: 2026, name: 'autumn' },
    ] as const)
      await makeAttainmentEntry(db, {
        childId,
        subject: 'Reading',
        term,
        workingAt: 'working-towards',
      })
    const page = await signedIn(journey, DEMO.socialWorker)
    const record = await ChildRecordPage.open(page, journey.app.baseUrl, childId)
    const progress = page.locator('[data-progress]')
    expect(await progress.textContent()).toContain(
      'Behind what is expected for two terms running in Reading',
    )
    expect(await progress.locator('.govuk-tag').textContent()).toContain(
      'Not making expected progress',
    )
    await record.checkAccessible()
    await record.openTab('Attainment over time')
    await page.waitForURL(`${journey.app.baseUrl}/children/${childId}/attainment`)
    expect(await page.textContent('main')).toContain('Not making expected progress in Reading')
    await expectAccessible(page)
    await page.context().close()
  })
})
