import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { signedIn } from './support/pages/sign-in-page.ts'

/*
 * Blank PEPs to print (issue 21) in Chromium, axe on each page that offers them: the Virtual
 * School administrator finds them from the form types (Mandatory questions), the blank forms
 * page lists every form type, and a social worker finds the blank of their PEP's form type on
 * the PEP's contents page; each link downloads a PDF.
 */

describe.skipIf(!hasChromium)('blank PEPs to print', () => {
  const journey = browserJourney()

  it('are offered from the form types and from a PEP, and download as PDFs', async () => {
    const base = journey.app.baseUrl
    const page = await signedIn(journey, 'vs.admin@example.org')
    await page.goto(`${base}/admin/form-settings`)
    await expectAccessible(page)
    await page.getByRole('link', { name: 'blank PEPs to print' }).click()
    await page.waitForURL(/\/peps\/blank-forms$/)
    await expectAccessible(page)
    const link = page.getByRole('link', { name: /^Blank Secondary PEP \(PDF/ })
    const href = await link.getAttribute('href')
    expect(href).toBe('/peps/blank-forms/secondary/pep.pdf')
    const pdf = await page.request.get(`${base}${href}`)
    expect(pdf.status()).toBe(200)
    expect(pdf.headers()['content-type']).toBe('application/pdf')
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-')
    await page.context().close()

    // A social worker, on the contents page of a PEP of one of their children.
    const db = journey.app.database.db
    const pep = await db
      .selectFrom('pep')
      .innerJoin('child as c', 'c.id', 'pep.child_id')
      .innerJoin('child_access as a', 'a.child_id', 'c.id')
      .innerJoin('app_user as u', 'u.id', 'a.user_id')
      .select(['pep.id', 'pep.child_id', 'pep.form_type'])
      .where('u.email', '=', 'social.worker@example.org')
      .where('a.removed_at', 'is', null)
      .where('c.status', '=', 'in_care')
      .orderBy('c.case_reference')
      .orderBy('pep.academic_year', 'desc')
      .executeTakeFirstOrThrow()
    const swPage = await signedIn(journey, 'social.worker@example.org')
    await swPage.goto(`${base}/children/${pep.child_id}/peps/${pep.id}`)
    await expectAccessible(swPage)
    const blank = swPage.getByRole('link', { name: /^Download a blank .* PEP to print/ })
    expect(await blank.getAttribute('href')).toBe(`/peps/blank-forms/${pep.form_type}/pep.pdf`)
    const download = await swPage.request.get(`${base}/peps/blank-forms/${pep.form_type}/pep.pdf`)
    expect(download.status()).toBe(200)
    await swPage.context().close()
  })
})
