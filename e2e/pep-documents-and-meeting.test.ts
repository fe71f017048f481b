import { describe, expect, it } from 'vitest'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO, newDemoChild } from './support/demo.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { PepContentsPage, StartPepPage } from './support/pages/pep-pages.ts'

/*
 * A social worker attaches an EHC plan to a PEP and records its meeting (issue 15): both reached
 * from the PEP's contents, both refused with an error summary first, both shown in the read view;
 * the carer sees neither. Every page is checked with axe.
 */

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

describe.skipIf(!hasChromium)('a PEP’s documents and meeting record', () => {
  const journey = browserJourney()
  const base = () => journey.app.baseUrl

  const newChild = () =>
    newDemoChild(journey.app.database.db, {
      firstName: 'Eira',
      lastName: 'Documents-Journey',
      caseReference: 'HFD-DOCJ-1',
      access: [
        [DEMO.socialWorker, 'social_worker'],
        [DEMO.designatedTeacher, 'designated_teacher'],
        [DEMO.carer, 'carer'],
      ],
    })

  it(
    'attaches an EHC plan and records the meeting; the carer sees neither',
    { timeout: 240_000 },
    async () => {
      const childId = await newChild()
      const page = await signedIn(journey, DEMO.socialWorker)
      const contents = await (
        await StartPepPage.open(page, base(), childId)
      ).start({
        term: 'Autumn term 2026',
        meeting: { day: '20', month: '11', year: '2026', time: '10am' },
        invite: ['Robin Teacher', 'Taylor Carer'],
      })
      const contentsUrl = contents.contentsUrl

      // Documents: refused first, then attached.
      await contents.clickLink('Documents attached to this PEP')
      await page.waitForURL(`${contentsUrl}/documents`)
      await contents.checkAccessible()
      await page.getByLabel('Title').fill('EHC plan, annual review')
      await contents.clickButton('Attach document')
      await contents.errorSummary.expectToContain('Select what the document is', 'Select a file')
      expect(await page.getByLabel('Title').inputValue()).toBe('EHC plan, annual review')
      await contents.checkAccessible()
      await page.getByLabel('EHC plan', { exact: true }).check()
      await page.getByLabel('File').setInputFiles({
        name: 'ehc-plan.pdf',
        mimeType: 'application/pdf',
        buffer: PDF,
      })
      await contents.clickButton('Attach document')
      await page.waitForURL(`${contentsUrl}/documents`)
      await page.getByRole('cell', { name: 'EHC plan', exact: true }).waitFor()
      await contents.checkAccessible()

      // The meeting record: refused first, then saved.
      await PepContentsPage.open(page, contentsUrl)
      expect(await contents.mainText()).toContain('1 attached')
      await contents.clickLink('Meeting record')
      await page.waitForURL(`${contentsUrl}/meeting-record`)
      await contents.checkAccessible()
      await page.getByLabel('Anyone else who attended').fill('Sam Jones, school nurse')
      await contents.clickButton('Save meeting record')
      await contents.errorSummary.expectToContain(
        'Select whether the young person attended the meeting',
        'Select how the young person’s views were given',
        'Select whether the social worker attended the meeting',
      )
      expect(await page.getByLabel('Anyone else who attended').inputValue()).toBe(
        'Sam Jones, school nurse',
      )
      await contents.checkAccessible()
      await page
        .getByRole('group', { name: 'Who attended?' })
        .getByLabel(/Robin Teacher/)
        .check()
      await page
        .getByRole('group', { name: 'Apologies' })
        .getByLabel(/Taylor Carer/)
        .check()
      await page.getByLabel('For part of the meeting').check()
      await page.getByLabel('Through an advocate').check()
      await page
        .getByRole('group', { name: 'Did the social worker attend?' })
        .getByLabel('No')
        .check()
      await page
        .getByLabel('The social worker’s input, if they did not attend')
        .fill('Placement is settled.')
      await contents.clickButton('Save meeting record')
      await page.waitForURL(contentsUrl)
      expect(await contents.mainText()).toContain('Recorded')
      await contents.checkAccessible()

      await contents.readWhole()
      await contents.checkAccessible()
      const read = await contents.mainText()
      expect(read).toContain('Attached documents')
      expect(read).toContain('EHC plan, annual review')
      expect(read).toContain('Meeting record')
      expect(read).toContain('Robin Teacher, Sam Jones, school nurse')
      expect(read).toContain('Placement is settled.')
      await page.context().close()

      // The carer reads the PEP, but neither its documents nor its meeting record.
      const carer = await signedIn(journey, DEMO.carer)
      const carerView = await PepContentsPage.open(carer, contentsUrl)
      await carerView.checkAccessible()
      expect(
        await carer.getByRole('link', { name: 'Documents attached to this PEP' }).count(),
      ).toBe(0)
      expect(await carer.getByRole('link', { name: 'Meeting record' }).count()).toBe(0)
      const refused = await carer.goto(`${contentsUrl}/documents`)
      expect(refused?.status()).toBe(404)
      await carer.context().close()
    },
  )
})
