import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { demoUserId, kingsmeadId, newDemoChild } from './support/demo.ts'
import { ErrorSummary } from './support/pages/error-summary.ts'
import { PepContentsPage, StartPepPage } from './support/pages/pep-pages.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { TrayPage } from './support/pages/tray-page.ts'

/*
 * Delegating chosen pages to a chosen member of the school's staff (issue 15): the social worker
 * gives two pages of Section B to a colleague at the child's school who is not on the child's
 * list; the colleague finds the task in their tray, changes a page given to them and reads one
 * that was not; the social worker sees who holds what. Every page is checked with axe.
 */

const SW = 'social.worker@example.org'
const DT = 'designated.teacher@example.org'
const COLLEAGUE = 'designated.person@example.org'

describe.skipIf(!hasChromium)('delegating chosen pages', () => {
  const journey = browserJourney()
  const db = () => journey.app.database.db
  const base = () => journey.app.baseUrl

  async function newChild(): Promise<string> {
    // The colleague works at the child's school, and is not on the child's list.
    await db()
      .updateTable('membership')
      .set({ school_id: await kingsmeadId(db()) })
      .where('user_id', '=', await demoUserId(db(), COLLEAGUE))
      .where('role', '=', 'designated_person')
      .execute()
    return newDemoChild(db(), {
      firstName: 'Wren',
      lastName: 'Pages-Journey',
      caseReference: 'HFD-PAGESJ-1',
      access: [
        [SW, 'social_worker'],
        [DT, 'designated_teacher'],
      ],
    })
  }

  it(
    'gives a colleague at the school two pages; they find the task and change only those',
    { timeout: 240_000 },
    async () => {
      const childId = await newChild()
      const sw = await signedIn(journey, SW)
      const { contentsUrl } = await (
        await StartPepPage.open(sw, base(), childId)
      ).start({
        term: 'Autumn term 2026',
        meeting: { day: '20', month: '11', year: '2026', time: '10am' },
      })

      await sw.goto(`${contentsUrl}/actions/delegate`)
      await expectAccessible(sw)
      await sw.getByLabel('Jamie College').check()
      // Every page is ticked: untick all but two, then one too many to see the error first.
      const boxes = sw.locator('input[name="pages"]')
      for (let i = 0; i < (await boxes.count()); i += 1) await boxes.nth(i).uncheck()
      await sw.getByRole('button', { name: 'Delegate' }).click()
      await new ErrorSummary(sw).expectToContain('Select the pages the school completes')
      await expectAccessible(sw)
      await sw.getByLabel('Attendance', { exact: true }).check()
      await sw.getByLabel('Special educational needs', { exact: true }).check()
      await sw.getByRole('button', { name: 'Delegate' }).click()
      await sw.waitForURL(contentsUrl)
      await expectAccessible(sw)
      const main = await sw.textContent('main')
      expect(main).toContain('2 pages of the school’s sections are delegated to Jamie College')
      expect(main!.match(/Delegated to Jamie College/g)).toHaveLength(2)

      const colleague = await signedIn(journey, COLLEAGUE)
      const tray = await TrayPage.open(colleague, base())
      await tray.checkAccessible()
      await tray.openTask('Wren Pages-Journey', 'Complete the school’s sections of the PEP')
      const contents = await PepContentsPage.waitFor(colleague, contentsUrl)
      await contents.checkAccessible()
      const attendance = await contents.openPage('Attendance')
      await attendance.checkAccessible()
      await colleague.getByLabel(/attendance over that period/).fill('97')
      await attendance.saveAndReturn()
      const transitions = await contents.openPage('Transitions')
      await transitions.checkAccessible()
      expect(await colleague.textContent('main')).toContain(
        'it was not among the pages delegated to you',
      )
      expect(await colleague.getByRole('button', { name: 'Save and continue' }).count()).toBe(0)
      // Nothing else of the child's record.
      const record = await colleague.goto(`${base()}/children/${childId}`)
      expect(record?.status()).toBe(404)
    },
  )
})
