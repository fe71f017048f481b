import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'
import {
  crawlYoungReader,
  kindOf,
  makeYoungReader,
  YOUNG_PERSON_PAGE_KINDS,
  YOUNG_READER_PASSWORD,
  YOUNG_READERS,
  youngReaderProblems,
  type FetchedPage,
} from '../src/testing/young-reader.ts'

/*
 * Every page a young person reaches (issue 20), crawled in Chromium 320 CSS pixels wide as a
 * young person of key stage 2 (Year 4) and one of key stage 4 (Year 10), each with a PEP and a
 * page staff shared with them. The crawl, the kinds of page they must reach and the words they
 * must not read are src/testing/young-reader.ts, the same as the HTTP crawl's
 * (features/young-person/young-reader-pages.test.ts). Here the browser adds what only it can
 * measure: each page scrolls no wider than the phone, every link and control is at least 24 by
 * 24 pixels (WCAG 2.2's target size), every picture loads, and axe finds nothing.
 */

const WIDTH = 320

/** Links and controls in the page's main part smaller than 24 by 24 pixels, as "text (w×h)". */
async function smallTargets(page: Page): Promise<string[]> {
  return page.$$eval(
    'main a[href], main button, main input:not([type=hidden]), main select, main textarea, main summary',
    (elements) =>
      elements.flatMap((element) => {
        const box = element.getBoundingClientRect()
        if (box.width === 0 && box.height === 0) return []
        // A link inside a sentence is excepted by WCAG 2.2 (2.5.8, inline).
        const parent = element.parentElement
        const inline =
          element.tagName === 'A' &&
          parent !== null &&
          ['P', 'LI', 'DD', 'SPAN'].includes(parent.tagName) &&
          (parent.textContent ?? '').trim() !== (element.textContent ?? '').trim()
        if (inline) return []
        // Radios and checkboxes: their label is the target (GOV.UK draws a 40px box over the input).
        const target =
          element instanceof HTMLInputElement && ['radio', 'checkbox'].includes(element.type)
            ? (element.parentElement?.getBoundingClientRect() ?? box)
            : box
        return target.width >= 24 && target.height >= 24
          ? []
          : [
              `${(element.textContent ?? element.getAttribute('name') ?? '').trim()} (${Math.round(target.width)}×${Math.round(target.height)})`,
            ]
      }),
  )
}

describe.skipIf(!hasChromium)('every page a young person reaches, at 320px', () => {
  const journey = browserJourney()

  for (const { key } of YOUNG_READERS)
    it(`as a young person of ${key}`, async () => {
      const db = journey.app.database.db
      const { id: authorityId } = await db
        .selectFrom('authority')
        .select('id')
        .where('code', '=', 'HFD')
        .executeTakeFirstOrThrow()
      const reader = await makeYoungReader(db, { key, authorityId, at: new Date() })

      const context = await journey.browser.newContext({ viewport: { width: WIDTH, height: 800 } })
      const page = await context.newPage()
      const base = journey.app.baseUrl
      await signInAs(page, base, reader.email, YOUNG_READER_PASSWORD)

      /** Opens a page in the browser; a redirect shows as one, so the crawl names where it went. */
      const fetch = async (path: string): Promise<FetchedPage> => {
        const response = await page.goto(new URL(path, base).href)
        const landed = new URL(page.url())
        const asked = new URL(path, base)
        if (landed.pathname !== asked.pathname)
          return { status: 303, location: landed.pathname, type: '', html: '' }
        const type = response?.headers()['content-type'] ?? ''
        return {
          status: response?.status() ?? 0,
          type,
          html: type.includes('text/html') ? await page.content() : '',
        }
      }
      const reached = await crawlYoungReader(fetch, '/', async (url, fetched) => {
        expect.soft(youngReaderProblems(fetched.html), url).toEqual([])
        const width = await page.evaluate(() => document.documentElement.scrollWidth)
        expect.soft(width, `page width of ${url}`).toBeLessThanOrEqual(WIDTH)
        expect.soft(await smallTargets(page), url).toEqual([])
        await expectAccessible(page)
        // Every picture loads (the symbols shipped in assets/symbols).
        const broken = await page.$$eval('main img', (images) =>
          (images as HTMLImageElement[])
            .filter((i) => !i.complete || i.naturalWidth === 0)
            .map((i) => i.src),
        )
        expect(broken, url).toEqual([])
      })
      const kinds = [...reached]
        .filter(([, p]) => p.status === 200 && p.type.includes('text/html'))
        .map(([url]) => kindOf(url))
      expect([...new Set(kinds)].sort()).toEqual([...YOUNG_PERSON_PAGE_KINDS].sort())
      await context.close()
    })
})
