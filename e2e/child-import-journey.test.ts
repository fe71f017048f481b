import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

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
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    const base = journey.app.baseUrl
    await signInAs(page, base, 'vs.admin@example.org')
    await expectAccessible(page)

    await page.goto(`${base}/children/import`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(
      'Import children from a CSV file',
    )
    await expectAccessible(page)

    await page.getByLabel('CSV file').setInputFiles({
      name: 'children.csv',
      mimeType: 'text/csv',
      buffer: csv([row1, row2bad, row3bad]),
    })
    await page.getByRole('button', { name: 'Check and import' }).click()
    await expect.poll(() => page.title()).toMatch(/^Error: /)
    const report = await page.textContent('main')
    expect(report).toContain('2 of 3 rows have problems. No children were added.')
    expect(report).toContain('Date of birth must be a real date')
    expect(report).toContain('Case reference IMPORT-1 is also on line 2')
    expect(report).toContain('Date entered care must be on or after the date of birth')
    expect(report).toContain('No open school of Harrowfield County Council has URN 990006')
    await expectAccessible(page)

    await page.getByLabel('CSV file').setInputFiles({
      name: 'children.csv',
      mimeType: 'text/csv',
      buffer: csv([row1, row2good, row3good]),
    })
    await page.getByRole('button', { name: 'Check and import' }).click()
    await page.waitForURL(`${base}/children`)
    expect(await page.textContent('main')).toContain(
      '3 children added to Harrowfield County Council',
    )
    await expectAccessible(page)

    await page.getByLabel('Name, case reference or UPN').fill('IMPORT-1')
    await page.getByRole('button', { name: 'Search' }).click()
    await expect.poll(() => page.textContent('main')).toContain('Ó Briain, 😀, Siân')
    await expectAccessible(page)
    await context.close()
  })
  it('adds a child after fixing errors, then meets a conflicting edit and keeps their own version', async () => {
    const base = journey.app.baseUrl
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await signInAs(page, base, 'vs.admin@example.org')

    await page.goto(`${base}/children/new`)
    await expectAccessible(page)
    await page.getByLabel('First name').fill('Gwenllïan')
    await page.getByLabel('Last name').fill("O'Neill-Ŷr 😀")
    const birth = page.getByRole('group', { name: 'Date of birth' })
    await birth.getByLabel('Day').fill('29')
    await birth.getByLabel('Month').fill('2')
    await birth.getByLabel('Year').fill('2015')
    await page.getByLabel('Female').check()
    await page.getByLabel('Case reference').fill('JOURNEY-1')
    const care = page.getByRole('group', { name: 'Date entered care' })
    await care.getByLabel('Day').fill('1')
    await care.getByLabel('Month').fill('9')
    await care.getByLabel('Year').fill('2024')
    await page.getByRole('button', { name: 'Add child' }).click()
    await expect.poll(() => page.title()).toMatch(/^Error: /)
    const summary = await page.textContent('.govuk-error-summary')
    expect(summary).toContain('Date of birth must be a real date')
    expect(summary).toContain('Select yes if this is an emergency placement')
    expect(await page.getByLabel('Last name').inputValue()).toBe("O'Neill-Ŷr 😀")
    await expectAccessible(page)
    await birth.getByLabel('Day').fill('28')
    await page
      .getByRole('group', { name: 'Is this an emergency placement?' })
      .getByLabel('No')
      .check()
    await page
      .getByLabel('School or setting (optional)')
      .selectOption({ label: 'Oakbridge Primary School (URN 990001)' })
    await page.getByRole('button', { name: 'Add child' }).click()
    await page.waitForURL(/\/children\/[0-9a-f-]{36}$/)
    expect(await page.textContent('main')).toContain("Gwenllïan O'Neill-Ŷr 😀 added")
    await expectAccessible(page)
    const recordUrl = page.url()

    // Two people open the edit form; the other saves first.
    await page.goto(`${recordUrl}/edit`)
    await expectAccessible(page)
    const other = await context.browser()!.newContext()
    const otherPage = await other.newPage()
    await signInAs(otherPage, base, 'vs.head@example.org')
    await otherPage.goto(`${recordUrl}/edit`)
    await otherPage.getByLabel('Preferred name (optional)').fill('Gwen')
    await otherPage.getByRole('button', { name: 'Save changes' }).click()
    await otherPage.waitForURL(recordUrl)
    await other.close()

    await page.getByLabel('Preferred name (optional)').fill('Lian')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect
      .poll(() => page.textContent('main'))
      .toContain('Someone else has changed this record')
    const table = await page.textContent('table')
    expect(table).toContain('Gwen')
    expect(table).toContain('Lian')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Save my version' }).click()
    await page.waitForURL(recordUrl)
    expect(await page.textContent('main')).toContain('Core data saved')
    expect(await page.textContent('main')).toContain('Lian')
    await expectAccessible(page)
    await context.close()
  })
})
