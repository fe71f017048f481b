import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'
import { hashPassword } from '../src/features/auth/passwords.ts'
import { setPageShared } from '../src/features/peps/peps.repository.ts'
import { makeChild, makePep, makeUser } from '../src/testing/factories.ts'

/*
 * Every page a young person reaches (issue 20), crawled in Chromium 320 CSS pixels wide as a
 * young person of key stage 2 (Year 4) and one of key stage 4 (Year 10), each with a PEP and a
 * page staff shared with them: each page is in the young person's styling, scrolls no wider than
 * the phone, every link and control on it is at least 24 by 24 pixels (WCAG 2.2's target size;
 * the young person's buttons and links on a line of their own are 44 high), and axe finds
 * nothing. Pages of one kind (each question of "Tell us what you think", each page's history)
 * are checked once each kind.
 */

const WIDTH = 320

/** The kind of a page: its path with ids, question and page names replaced. */
const kindOf = (url: string) =>
  new URL(url).pathname
    .replace(/[0-9a-f-]{36}/g, ':id')
    .replace(/\/views\/[^/]+$/, '/views/:step')
    .replace(/\/pages\/[^/]+/, '/pages/:page')

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

  for (const [stage, dateOfBirth, yearGroup, formType] of [
    ['key stage 2', '2017-10-01', 'Y4', 'primary'],
    ['key stage 4', '2011-05-01', 'Y10', 'secondary'],
  ] as const)
    it(`as a young person of ${stage}`, async () => {
      const db = journey.app.database.db
      const { id: authorityId } = await db
        .selectFrom('authority')
        .select('id')
        .where('code', '=', 'HFD')
        .executeTakeFirstOrThrow()
      const sw = await makeUser(db, { role: 'social_worker', authorityId })
      const yp = await makeUser(db, {
        role: 'young_person',
        authorityId,
        passwordHash: await hashPassword(DEMO_PASSWORD),
      })
      const childId = await makeChild(db, {
        authorityId,
        firstName: 'Reader',
        dateOfBirth,
        recordOwnerId: sw.id,
        access: [
          { userId: sw.id, capacity: 'social_worker' },
          { userId: yp.id, capacity: 'young_person' },
        ],
      })
      const pepId = await makePep(db, {
        childId,
        yearGroup,
        formType,
        createdBy: sw.id,
        meetingOn: '2026-12-01',
        pages: {
          'smart-targets': {
            targets: [
              { id: 't1', area: 'literacy', target: 'Read every night', 'by-date': '2027-03-31' },
            ],
          },
        },
      })
      await setPageShared(db, {
        pepId,
        pageId: 'smart-targets',
        shared: true,
        by: sw.id,
        at: new Date(),
      })

      const context = await journey.browser.newContext({ viewport: { width: WIDTH, height: 800 } })
      const page = await context.newPage()
      const base = journey.app.baseUrl
      await signInAs(page, base, yp.email)
      const queue = [page.url()]
      const seen = new Set<string>()
      const kinds = new Set<string>()
      while (queue.length > 0) {
        const url = queue.shift()!
        if (seen.has(url)) continue
        seen.add(url)
        const kind = kindOf(url)
        if (kinds.has(kind)) continue
        kinds.add(kind)
        const response = await page.goto(url)
        if (!response?.headers()['content-type']?.includes('text/html')) continue
        expect(response.status(), url).toBe(200)
        expect(await page.getAttribute('main', 'class'), url).toContain('app-young-person')
        const main = (await page.textContent('main')) ?? ''
        expect.soft(main, url).not.toMatch(/\btray\b|You work in|My work/i)
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
        for (const href of await page.$$eval('a[href^="/"]', (links) =>
          links.map((a) => a.getAttribute('href')!),
        ))
          if (
            !href.startsWith('/sign-out') &&
            !href.startsWith('/assets') &&
            !href.endsWith('.pdf')
          )
            queue.push(new URL(href, base).href.split('#')[0]!)
      }
      // Their home, their PEP to read, the page shared with them, "Tell us what you think" and
      // their account at least.
      for (const expected of [
        '/my-pep/:id',
        '/children/:id/peps/:id/read',
        '/children/:id/peps/:id/pages/:page',
        '/my-pep/:id/peps/:id/views',
        '/account',
      ])
        expect([...kinds], expected).toContain(expected)
      await context.close()
    })
})
