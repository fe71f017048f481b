import { describe, expect, it } from 'vitest'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO } from './support/demo.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { signedIn } from './support/pages/sign-in-page.ts'

/*
 * Issue 17 in a browser: a social worker filters and sorts the children on My work, sees the
 * filter in words and kept in the form, with links to download it; a value not among the
 * choices shows the error summary naming the filter. axe on both.
 */

describe.skipIf(!hasChromium)('My work’s list of my children', () => {
  const journey = browserJourney()

  it('filters and sorts, and says what is wrong with a filter, accessibly', async () => {
    const page = await signedIn(journey, DEMO.socialWorker)
    const myWork = await MyWorkPage.open(page, journey.app.baseUrl)
    expect(await myWork.heading.textContent()).toBe('My work')

    const asked = await myWork.filter({ area: 'in', sort: 'target', order: 'descending' })
    expect(asked.get('sort')).toBe('target')
    expect(asked.get('dir')).toBe('descending')
    expect(await myWork.mainText()).toContain(
      'Filtered by Area: At a school in the authority’s area.',
    )
    expect(await myWork.area.inputValue()).toBe('in')
    expect(await myWork.sort.inputValue()).toBe('target')
    expect(await myWork.csvLink.getAttribute('href')).toBe(
      '/my-work/export?area=in&sort=target&dir=descending&format=csv',
    )
    await myWork.checkAccessible()

    // A value not among the choices (an old bookmark): the error summary names the filter.
    const refused = await MyWorkPage.open(page, journey.app.baseUrl, '?stage=lost&area=in')
    expect(await refused.title()).toBe('Error: My work – OpenPEP')
    expect(await refused.alertText()).toContain('Select a PEP state from the list')
    await refused.alert.getByRole('link', { name: 'Select a PEP state from the list' }).click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('stage')
    expect(await refused.area.inputValue()).toBe('in')
    await refused.checkAccessible()
    await page.context().close()
  })
})
