import { describe, expect, it } from 'vitest'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO } from './support/demo.ts'
import { ChildRecordPage } from './support/pages/child-record-page.ts'
import { ChildImportPage, EditChildPage, NewChildPage } from './support/pages/child-form-pages.ts'
import { ChildrenPage } from './support/pages/children-page.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { signedIn } from './support/pages/sign-in-page.ts'

const HEADER =
  'first_name,last_name,preferred_name,date_of_birth,gender,upn,uln,case_reference,entered_care_on,emergency_placement,legal_status,placement,school_urn,sen_status,year_group,record_owner_email'

const csv = (rows: string[]) => Buffer.from(`\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`)

const row1 =
  'Siân,"Ó Briain, 😀",,2016-02-29,female,,,IMPORT-1,01/09/2024,no,Full care order (C2),Foster care,990001,none,,social.worker@example.org'
const row2bad = 'Ieuan,Ŵyn,,31/02/2015,male,,,IMPORT-2,2024-09-01,no,,,990001,sen_support,,'
const row2good = 'Ieuan,Ŵyn,,28/02/2015,male,,,IMPORT-2,2024-09-01,no,,,990001,sen_support,,'
const row3bad = 'Aoife,Ní Bhriain,,2012-05-01,female,,,IMPORT-1,2011-01-01,maybe,,,990006,,,'
const row3good = 'Aoife,Ní Bhriain,,2012-05-01,female,,,IMPORT-3,2013-01-01,yes,,,990002,ehc_plan,,'

describe.skipIf(!hasChromium)('a Virtual School administrator imports children', () => {
  const journey = browserJourney()

  it('uploads a file with bad rows, reads the report, fixes the file and imports it', async () => {
    const base = journey.app.baseUrl
    const page = await signedIn(journey, DEMO.admin)
    await new MyWorkPage(page).checkAccessible()

    const importPage = await ChildImportPage.open(page, base)
    expect(await importPage.heading.textContent()).toContain('Import children from a CSV file')
    await importPage.checkAccessible()

    await importPage.upload(csv([row1, row2bad, row3bad]))
    await expect.poll(() => importPage.title()).toMatch(/^Error: /)
    const report = await page.textContent('main')
    expect(report).toContain('2 of 3 rows have problems. No children were added.')
    expect(report).toContain('Date of birth must be a real date')
    expect(report).toContain('Case reference IMPORT-1 is also on line 2')
    expect(report).toContain('Date entered care must be on or after the date of birth')
    expect(report).toContain('No open school of Harrowfield County Council has URN 990006')
    await importPage.checkAccessible()

    await importPage.upload(csv([row1, row2good, row3good]))
    const children = await ChildrenPage.waitFor(page, base)
    expect(await page.textContent('main')).toContain(
      '3 children added to Harrowfield County Council',
    )
    await children.checkAccessible()

    await children.search({ text: 'IMPORT-1' })
    await expect.poll(() => page.textContent('main')).toContain('Ó Briain, 😀, Siân')
    await children.checkAccessible()
    await page.context().close()
  })
  it('adds a child after fixing errors, then meets a conflicting edit and keeps their own version', async () => {
    const base = journey.app.baseUrl
    const page = await signedIn(journey, DEMO.admin)

    const form = await NewChildPage.open(page, base)
    await form.checkAccessible()
    await form.fill({
      firstName: 'Gwenllïan',
      lastName: "O'Neill-Ŷr 😀",
      dateOfBirth: ['29', '2', '2015'],
      gender: 'Female',
      caseReference: 'JOURNEY-1',
      enteredCare: ['1', '9', '2024'],
    })
    await form.submit()
    await expect.poll(() => form.title()).toMatch(/^Error: /)
    const summary = await page.textContent('.govuk-error-summary')
    expect(summary).toContain('Date of birth must be a real date')
    expect(summary).toContain('Select yes if this is an emergency placement')
    expect(await form.lastName.inputValue()).toBe("O'Neill-Ŷr 😀")
    await form.checkAccessible()
    await form.dateGroup('Date of birth').getByLabel('Day').fill('28')
    await form.fill({
      emergencyPlacement: 'No',
      school: 'Oakbridge Primary School (URN 990001)',
    })
    await form.submit()
    const record = await ChildRecordPage.waitFor(page)
    expect(await page.textContent('main')).toContain("Gwenllïan O'Neill-Ŷr 😀 added")
    await record.checkAccessible()
    const recordUrl = record.url()

    // Two people open the edit form; the other saves first.
    const edit = await EditChildPage.open(page, recordUrl)
    await edit.checkAccessible()
    const otherPage = await signedIn(journey, DEMO.head)
    const theirs = await EditChildPage.open(otherPage, recordUrl)
    await theirs.preferredName.fill('Gwen')
    await theirs.save()
    await otherPage.waitForURL(recordUrl)
    await otherPage.context().close()

    await edit.preferredName.fill('Lian')
    await edit.save()
    await expect
      .poll(() => page.textContent('main'))
      .toContain('Someone else has changed this record')
    const table = await page.textContent('table')
    expect(table).toContain('Gwen')
    expect(table).toContain('Lian')
    await edit.checkAccessible()
    await edit.saveMyVersion()
    await page.waitForURL(recordUrl)
    expect(await page.textContent('main')).toContain('Core data saved')
    expect(await page.textContent('main')).toContain('Lian')
    await record.checkAccessible()
    await page.context().close()
  })
})
