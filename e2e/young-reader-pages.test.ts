import { describe, expect, it } from 'vitest'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { onPage, visit } from './support/pages/abstract-page.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
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

      const page = await signedIn(journey, reader.email, { password: YOUNG_READER_PASSWORD })
      await page.setViewportSize({ width: WIDTH, height: 800 })
      const base = journey.app.baseUrl

      /** The page the crawl is on: the last one it opened. */
      let at = onPage(page)
      /** Opens a page in the browser; a redirect shows as one, so the crawl names where it went. */
      const fetch = async (path: string): Promise<FetchedPage> => {
        at = await visit(page, new URL(path, base).href)
        const asked = new URL(path, base)
        if (at.path() !== asked.pathname)
          return { status: 303, location: at.path(), type: '', html: '' }
        const type = at.response?.headers()['content-type'] ?? ''
        return {
          status: at.responseStatus(),
          type,
          html: type.includes('text/html') ? await page.content() : '',
        }
      }
      const reached = await crawlYoungReader(fetch, '/', async (url, fetched) => {
        expect.soft(youngReaderProblems(fetched.html), url).toEqual([])
        expect.soft(await at.scrollWidth(), `page width of ${url}`).toBeLessThanOrEqual(WIDTH)
        expect.soft(await at.smallTargets(), url).toEqual([])
        await at.checkAccessible()
        // Every picture loads (the symbols shipped in assets/symbols).
        expect(await at.brokenImages(), url).toEqual([])
      })
      const kinds = [...reached]
        .filter(([, p]) => p.status === 200 && p.type.includes('text/html'))
        .map(([url]) => kindOf(url))
      expect([...new Set(kinds)].sort()).toEqual([...YOUNG_PERSON_PAGE_KINDS].sort())
      await page.context().close()
    })
})
