import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO } from './support/demo.ts'
import { visit, type AbstractPage } from './support/pages/abstract-page.ts'
import { ChildrenPage } from './support/pages/children-page.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { TrayPage } from './support/pages/tray-page.ts'

/*
 * WCAG 1.4.10 Reflow: at 320 CSS pixels wide (a 1280px screen at 400% zoom) the trays, My work
 * and the children list must not scroll the whole page sideways. Tables reflow into stacked rows
 * on narrow screens, each cell labelled with its column.
 */

const WIDTH = 320

/** Rows of tables seen at 320px, by page, so the test proves it met tables, not empty pages. */
const rowsSeen = new Map<string, number>()

/** The page just opened at `url` is there, no wider than the window, and passes axe. */
async function expectReflows(opened: AbstractPage, url: string): Promise<void> {
  const path = new URL(url).pathname.replace(/\/tray\/group\/.*/, '/tray/group')
  const rows = await opened.main.locator('table.app-table--stack tbody tr').count()
  rowsSeen.set(path, (rowsSeen.get(path) ?? 0) + rows)
  expect(opened.path(), `${url} opened`).toBe(new URL(url).pathname)
  expect(await opened.scrollWidth(), `page width of ${url} at ${WIDTH}px`).toBeLessThanOrEqual(
    WIDTH,
  )
  await opened.checkAccessible()
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
    DEMO.socialWorker,
    DEMO.consultant,
    DEMO.admin,
    DEMO.designatedTeacher,
    DEMO.businessSupport,
  ])
    it(`reflow without sideways scrolling for ${email}`, async () => {
      const page: Page = await signedIn(journey, email)
      await page.setViewportSize({ width: WIDTH, height: 640 })
      const base = journey.app.baseUrl
      const myWork = await MyWorkPage.open(page, base)
      await expectReflows(myWork, `${base}/`)
      const groupTrays = await myWork.groupTrayLinks()
      await expectReflows(await TrayPage.open(page, base), `${base}/tray`)
      for (const href of new Set(groupTrays)) await expectReflows(await visit(page, href), href)
      const children = await ChildrenPage.open(page, base)
      if (children.responseStatus() === 200) await expectReflows(children, `${base}/children`)
      await page.context().close()
    })

  it('met rows in every kind of table', () => {
    console.log('Table rows checked at 320px:', Object.fromEntries(rowsSeen))
    for (const path of ['/', '/tray', '/tray/group', '/children'])
      expect(rowsSeen.get(path), path).toBeGreaterThan(0)
  })
})
