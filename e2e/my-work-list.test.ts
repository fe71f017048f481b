import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

/*
 * Issue 17 in a browser: a social worker filters and sorts the children on My work, sees the
 * filter in words and kept in the form, with links to download it; a value not among the
 * choices shows the error summary naming the filter. axe on both.
 */

describe.skipIf(!hasChromium)('My work’s list of my children', () => {
  const journey = browserJourney()

  it('filters and sorts, and says what is wrong with a filter, accessibly', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await signInAs(page, journey.app.baseUrl, 'social.worker@example.org')
    await page.goto(`${journey.app.baseUrl}/`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My work')

    await page.getByLabel('In or out of area').selectOption('in')
    await page.getByLabel('Sort by').selectOption('target')
    await page.getByLabel('Order').selectOption('descending')
    await page.getByRole('button', { name: 'Filter my children' }).click()
    await page.waitForURL(/\/\?.*area=in/)
    const asked = new URL(page.url()).searchParams
    expect(asked.get('sort')).toBe('target')
    expect(asked.get('dir')).toBe('descending')
    expect(await page.textContent('main')).toContain(
      'Filtered by Area: At a school in the authority’s area.',
    )
    expect(await page.getByLabel('In or out of area').inputValue()).toBe('in')
    expect(await page.getByLabel('Sort by').inputValue()).toBe('target')
    expect(
      await page.getByRole('link', { name: 'CSV file of my children' }).getAttribute('href'),
    ).toBe('/my-work/export?area=in&sort=target&dir=descending&format=csv')
    await expectAccessible(page)

    // A value not among the choices (an old bookmark): the error summary names the filter.
    await page.goto(`${journey.app.baseUrl}/?stage=lost&area=in`)
    expect(await page.title()).toBe('Error: My work – OpenPEP')
    const summary = page.getByRole('alert')
    expect(await summary.textContent()).toContain('Select a PEP state from the list')
    await summary.getByRole('link', { name: 'Select a PEP state from the list' }).click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('stage')
    expect(await page.getByLabel('In or out of area').inputValue()).toBe('in')
    await expectAccessible(page)
    await context.close()
  })
})
