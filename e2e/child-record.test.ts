import { describe, expect, it } from 'vitest'
import { hasChromium, newContext } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO, newDemoChild } from './support/demo.ts'
import { ChildRecordPage } from './support/pages/child-record-page.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { SignInPage, signedIn } from './support/pages/sign-in-page.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'
import { makeAttainmentEntry } from '../src/testing/factories.ts'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

describe.skipIf(!hasChromium)('a social worker finds their child and reads the record', () => {
  const journey = browserJourney()

  it('goes from My work to the record, its notes, documents and history', async () => {
    const base = journey.app.baseUrl
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await (await SignInPage.open(page, base)).submit(DEMO.socialWorker, DEMO_PASSWORD)
    const myWork = await MyWorkPage.waitFor(page, base)
    expect(await myWork.mainText()).toMatch(/Showing 1 to \d+ of \d+ children\./)
    await myWork.checkAccessible()

    const name = (await myWork.firstChild.textContent())!.trim()
    const record = await myWork.openFirstChild()
    expect(await record.heading.textContent()).toContain(name)
    expect(await record.mainText()).toContain('Users with access to this record')
    await record.checkAccessible()

    // A note, with an error first.
    await record.clickLink('Notes')
    await record.checkAccessible()
    await record.addNote({})
    await expect.poll(() => record.title()).toMatch(/^Error: /)
    expect(await record.errorSummary.text()).toContain('Select the type of note')
    await record.checkAccessible()
    await record.addNote({ type: 'Case note', note: 'Spoke to the carer: settled well 😀' })
    await expect
      .poll(() => page.textContent('main'))
      .toContain('Spoke to the carer: settled well 😀')
    await record.checkAccessible()

    // A document.
    await record.clickLink('Documents')
    await record.uploadDocument('Support plan', {
      name: 'support-plan.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    })
    await expect.poll(() => page.textContent('main')).toContain('Download support-plan.pdf')
    await record.checkAccessible()

    // School history and a change of placement.
    await record.clickLink('School history and events')
    await record.checkAccessible()
    await record.clickLink('Record a change of placement')
    await record.checkAccessible()
    await record.recordPlacementChange('Foster care with the Ó Briain family', ['31', '2', '2026'])
    await expect
      .poll(() => page.textContent('.govuk-error-summary'))
      .toContain('The date of the change must be a real date')
    expect(await record.newPlacement.inputValue()).toBe('Foster care with the Ó Briain family')
    await record.checkAccessible()
    await page.getByLabel('Day').fill('20')
    await page.getByLabel('Month').fill('11')
    await record.clickButton('Save')
    await expect
      .poll(() => page.textContent('main'))
      .toContain('Placement changed on 20 November 2026: Foster care with the Ó Briain family')
    await record.checkAccessible()
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
    await record.checkAccessible()
    await page.context().close()
  })
})
