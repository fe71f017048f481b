import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

/*
 * WCAG 1.4.10 Reflow: at 320 CSS pixels wide (a 1280px screen at 400% zoom) the trays, My work
 * and the children list must not scroll the whole page sideways. Tables reflow into stacked rows
 * on narrow screens, each cell labelled with its column.
 */

const WIDTH = 320

async function pageScrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth)
}

/** Rows of tables seen at 320px, by page, so the test proves it met tables, not empty pages. */
const rowsSeen = new Map<string, number>()

async function expectReflows(page: Page, url: string): Promise<void> {
  await page.goto(url)
  const path = new URL(url).pathname.replace(/\/tray\/group\/.*/, '/tray/group')
  const rows = await page.locator('main table.app-table--stack tbody tr').count()
  rowsSeen.set(path, (rowsSeen.get(path) ?? 0) + rows)
  expect(new URL(page.url()).pathname, `${url} opened`).toBe(new URL(url).pathname)
  expect(await pageScrollWidth(page), `page width of ${url} at ${WIDTH}px`).toBeLessThanOrEqual(
    WIDTH,
  )
  await expectAccessible(page)
}

describe.skipIf(!hasChromium)('the trays, My work and the children list at 320px', () => {
  const journey = browserJourney()

  beforeAll(async () => {
    // The demo's group trays are empty: put a task in each, with a long title, so they are met.
    const db = journey.app.database.db
    const child = await db
      .selectFrom('child')
      .innerJoin('authority', 'authority.id', 'child.authority_id')
      .select(['child.id', 'child.authority_id'])
      .where('authority.code', '=', 'HFD')
      .orderBy('child.last_name')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('task')
      .values(
        (['business_support', 'vs_consultant'] as const).map((group) => ({
          kind: 'manual',
          authority_id: child.authority_id,
          child_id: child.id,
          group_role: group,
          title: 'Check the attendance figures against the school’s register before sign-off',
          due_on: '2026-12-04',
          created_at: journey.app.clock.now(),
        })),
      )
      .execute()
  })

  for (const email of [
    'social.worker@example.org',
    'vs.consultant@example.org',
    'vs.admin@example.org',
    'designated.teacher@example.org',
    'business.support@example.org',
  ])
    it(`reflow without sideways scrolling for ${email}`, async () => {
      const context = await journey.browser.newContext({ viewport: { width: WIDTH, height: 640 } })
      const page = await context.newPage()
      const base = journey.app.baseUrl
      await signInAs(page, base, email)
      await expectReflows(page, `${base}/`)
      const groupTrays = await page
        .locator('main a[href^="/tray/group/"]')
        .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))
      await expectReflows(page, `${base}/tray`)
      for (const href of new Set(groupTrays)) await expectReflows(page, href)
      const children = await page.goto(`${base}/children`)
      if (children?.status() === 200) await expectReflows(page, `${base}/children`)
      await context.close()
    })

  it('met rows in every kind of table', () => {
    console.log('Table rows checked at 320px:', Object.fromEntries(rowsSeen))
    for (const path of ['/', '/tray', '/tray/group', '/children'])
      expect(rowsSeen.get(path), path).toBeGreaterThan(0)
  })
})
