import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

/*
 * A social worker attaches an EHC plan to a PEP and records its meeting (issue 15): both reached
 * from the PEP's contents, both refused with an error summary first, both shown in the read view;
 * the carer sees neither. Every page is checked with axe.
 */

const SW = 'social.worker@example.org'
const DT = 'designated.teacher@example.org'
const CARER = 'carer@example.org'
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

describe.skipIf(!hasChromium)('a PEP’s documents and meeting record', () => {
  const journey = browserJourney()
  const db = () => journey.app.database.db
  const base = () => journey.app.baseUrl

  async function newChild(): Promise<string> {
    const [school, authority, sw, dt, carer] = await Promise.all([
      db().selectFrom('school').select('id').where('urn', '=', '990002').executeTakeFirstOrThrow(),
      db().selectFrom('authority').select('id').where('code', '=', 'HFD').executeTakeFirstOrThrow(),
      db().selectFrom('app_user').select('id').where('email', '=', SW).executeTakeFirstOrThrow(),
      db().selectFrom('app_user').select('id').where('email', '=', DT).executeTakeFirstOrThrow(),
      db().selectFrom('app_user').select('id').where('email', '=', CARER).executeTakeFirstOrThrow(),
    ])
    const child = await db()
      .insertInto('child')
      .values({
        authority_id: authority.id,
        first_name: 'Eira',
        last_name: 'Documents-Journey',
        date_of_birth: '2012-10-15',
        gender: 'female',
        case_reference: 'HFD-DOCJ-1',
        entered_care_on: '2020-01-01',
        school_id: school.id,
        record_owner_id: sw.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db()
      .insertInto('child_access')
      .values([
        { child_id: child.id, user_id: sw.id, capacity: 'social_worker' },
        { child_id: child.id, user_id: dt.id, capacity: 'designated_teacher' },
        { child_id: child.id, user_id: carer.id, capacity: 'carer' },
      ])
      .execute()
    return child.id
  }

  it(
    'attaches an EHC plan and records the meeting; the carer sees neither',
    { timeout: 240_000 },
    async () => {
      const childId = await newChild()
      const context = await newContext(journey.browser)
      const page = await context.newPage()
      await signInAs(page, base(), SW)
      await page.goto(`${base()}/children/${childId}/peps/start`)
      await page.getByLabel('Autumn term 2026').check()
      await page.getByLabel('Day').fill('20')
      await page.getByLabel('Month').fill('11')
      await page.getByLabel('Year').fill('2026')
      await page.getByLabel('Time of the meeting').fill('10am')
      await page.getByLabel(/Robin Teacher/).check()
      await page.getByLabel(/Taylor Carer/).check()
      await page.getByRole('button', { name: 'Start the PEP' }).click()
      await page.waitForURL(/\/peps\/[0-9a-f-]{36}$/)
      const contentsUrl = page.url()

      // Documents: refused first, then attached.
      await page.getByRole('link', { name: 'Documents attached to this PEP' }).click()
      await page.waitForURL(`${contentsUrl}/documents`)
      await expectAccessible(page)
      await page.getByLabel('Title').fill('EHC plan, annual review')
      await page.getByRole('button', { name: 'Attach document' }).click()
      const summary = page.locator('.govuk-error-summary')
      await summary.waitFor()
      expect(await summary.textContent()).toContain('Select what the document is')
      expect(await summary.textContent()).toContain('Select a file')
      expect(await page.getByLabel('Title').inputValue()).toBe('EHC plan, annual review')
      await expectAccessible(page)
      await page.getByLabel('EHC plan', { exact: true }).check()
      await page.getByLabel('File').setInputFiles({
        name: 'ehc-plan.pdf',
        mimeType: 'application/pdf',
        buffer: PDF,
      })
      await page.getByRole('button', { name: 'Attach document' }).click()
      await page.waitForURL(`${contentsUrl}/documents`)
      await page.getByRole('cell', { name: 'EHC plan', exact: true }).waitFor()
      await expectAccessible(page)

      // The meeting record: refused first, then saved.
      await page.goto(contentsUrl)
      expect(await page.locator('main').textContent()).toContain('1 attached')
      await page.getByRole('link', { name: 'Meeting record' }).click()
      await page.waitForURL(`${contentsUrl}/meeting-record`)
      await expectAccessible(page)
      await page.getByLabel('Anyone else who attended').fill('Sam Jones, school nurse')
      await page.getByRole('button', { name: 'Save meeting record' }).click()
      await summary.waitFor()
      const errors = (await summary.textContent()) ?? ''
      expect(errors).toContain('Select whether the young person attended the meeting')
      expect(errors).toContain('Select how the young person’s views were given')
      expect(errors).toContain('Select whether the social worker attended the meeting')
      expect(await page.getByLabel('Anyone else who attended').inputValue()).toBe(
        'Sam Jones, school nurse',
      )
      await expectAccessible(page)
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
      await page.getByRole('button', { name: 'Save meeting record' }).click()
      await page.waitForURL(contentsUrl)
      expect(await page.locator('main').textContent()).toContain('Recorded')
      await expectAccessible(page)

      await page.getByRole('link', { name: 'Read or print the whole PEP' }).click()
      await expectAccessible(page)
      const read = (await page.locator('main').textContent()) ?? ''
      expect(read).toContain('Attached documents')
      expect(read).toContain('EHC plan, annual review')
      expect(read).toContain('Meeting record')
      expect(read).toContain('Robin Teacher, Sam Jones, school nurse')
      expect(read).toContain('Placement is settled.')
      await context.close()

      // The carer reads the PEP, but neither its documents nor its meeting record.
      const carerContext = await newContext(journey.browser)
      const carer = await carerContext.newPage()
      await signInAs(carer, base(), CARER)
      await carer.goto(contentsUrl)
      await expectAccessible(carer)
      expect(
        await carer.getByRole('link', { name: 'Documents attached to this PEP' }).count(),
      ).toBe(0)
      expect(await carer.getByRole('link', { name: 'Meeting record' }).count()).toBe(0)
      const refused = await carer.goto(`${contentsUrl}/documents`)
      expect(refused?.status()).toBe(404)
      await carerContext.close()
    },
  )
})
