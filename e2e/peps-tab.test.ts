import { describe, expect, it } from 'vitest'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO, newDemoChild } from './support/demo.ts'
import { ChildRecordPage } from './support/pages/child-record-page.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { makePep } from '../src/testing/factories.ts'

/*
 * The designated teacher finds a child's PEPs on the record's PEPs tab, newest first with their
 * states, and opens one to its contents, which name the child. axe on each page.
 */

describe.skipIf(!hasChromium)('a child’s PEPs tab', () => {
  const journey = browserJourney()

  it('lists the PEPs with their states and opens one', async () => {
    const db = journey.app.database.db
    const childId = await newDemoChild(db, {
      firstName: 'Rhiannon',
      lastName: 'Tabs',
      access: [
        [DEMO.socialWorker, 'social_worker'],
        [DEMO.designatedTeacher, 'designated_teacher'],
      ],
    })
    await makePep(db, { childId, state: 'signed_off' })
    await makePep(db, { childId, term: { academicYear: 2026, name: 'spring' } })

    const page = await signedIn(journey, DEMO.designatedTeacher)
    const record = await ChildRecordPage.open(page, journey.app.baseUrl, childId)
    await record.openTab('PEPs')
    await page.waitForURL(`${journey.app.baseUrl}/children/${childId}/peps`)
    const rows = await page.locator('main tbody tr').allTextContents()
    expect(rows.map((row) => row.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(/^Secondary PEP, Spring term 2027 .*In progress/),
      expect.stringMatching(/^Secondary PEP, Autumn term 2026 .*Signed off/),
    ])
    await record.checkAccessible()

    const contents = await record.openFirstPep()
    expect(await contents.headingText()).toBe('Secondary PEP, Spring term 2027 In progress')
    expect(await contents.caption.textContent()).toContain('Rhiannon Tabs')
    await contents.checkAccessible()
    await page.context().close()
  })
})
