import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

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
    const [school, authority, sw, dt, colleague] = await Promise.all([
      db().selectFrom('school').select('id').where('urn', '=', '990002').executeTakeFirstOrThrow(),
      db().selectFrom('authority').select('id').where('code', '=', 'HFD').executeTakeFirstOrThrow(),
      db().selectFrom('app_user').select('id').where('email', '=', SW).executeTakeFirstOrThrow(),
      db().selectFrom('app_user').select('id').where('email', '=', DT).executeTakeFirstOrThrow(),
      db()
        .selectFrom('app_user')
        .select('id')
        .where('email', '=', COLLEAGUE)
        .executeTakeFirstOrThrow(),
    ])
    // The colleague works at the child's school, and is not on the child's list.
    await db()
      .updateTable('membership')
      .set({ school_id: school.id })
      .where('user_id', '=', colleague.id)
      .where('role', '=', 'designated_person')
      .execute()
    const child = await db()
      .insertInto('child')
      .values({
        authority_id: authority.id,
        first_name: 'Wren',
        last_name: 'Pages-Journey',
        date_of_birth: '2012-10-15',
        gender: 'female',
        case_reference: 'HFD-PAGESJ-1',
        entered_care_on: '2020-01-01',
        school_id: school.id,
        record_owner_id: sw.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db()
      .insertInto('child_access')
      .values([
        { child_id: child.id, user_id: sw.id, capacity: 'social_worker' },
        { child_id: child.id, user_id: dt.id, capacity: 'designated_teacher' },
      ])
      .execute()
    return child.id
  }

  it(
    'gives a colleague at the school two pages; they find the task and change only those',
    { timeout: 240_000 },
    async () => {
      const childId = await newChild()
      const sw = await (await newContext(journey.browser)).newPage()
      await signInAs(sw, base(), SW)
      await sw.goto(`${base()}/children/${childId}/peps/start`)
      await sw.getByLabel('Autumn term 2026').check()
      await sw.getByLabel('Day').fill('20')
      await sw.getByLabel('Month').fill('11')
      await sw.getByLabel('Year').fill('2026')
      await sw.getByLabel('Time of the meeting').fill('10am')
      await sw.getByRole('button', { name: 'Start the PEP' }).click()
      await sw.waitForURL(/\/peps\/[0-9a-f-]{36}$/)
      const contentsUrl = sw.url()

      await sw.goto(`${contentsUrl}/actions/delegate`)
      await expectAccessible(sw)
      await sw.getByLabel('Jamie College').check()
      // Every page is ticked: untick all but two, then one too many to see the error first.
      const boxes = sw.locator('input[name="pages"]')
      for (let i = 0; i < (await boxes.count()); i += 1) await boxes.nth(i).uncheck()
      await sw.getByRole('button', { name: 'Delegate' }).click()
      expect(await sw.textContent('.govuk-error-summary')).toContain(
        'Select the pages the school completes',
      )
      await expectAccessible(sw)
      await sw.getByLabel('Attendance', { exact: true }).check()
      await sw.getByLabel('Special educational needs', { exact: true }).check()
      await sw.getByRole('button', { name: 'Delegate' }).click()
      await sw.waitForURL(contentsUrl)
      await expectAccessible(sw)
      const main = await sw.textContent('main')
      expect(main).toContain('2 pages of the school’s sections are delegated to Jamie College')
      expect(main!.match(/Delegated to Jamie College/g)).toHaveLength(2)

      const colleague = await (await newContext(journey.browser)).newPage()
      await signInAs(colleague, base(), COLLEAGUE)
      await colleague.goto(`${base()}/tray`)
      await expectAccessible(colleague)
      const row = colleague.getByRole('row').filter({ hasText: 'Wren Pages-Journey' })
      await row
        .getByRole('link', { name: 'Complete the school’s sections of the PEP', exact: true })
        .click()
      await colleague.waitForURL(contentsUrl)
      await expectAccessible(colleague)
      await colleague.getByRole('link', { name: 'Attendance', exact: true }).click()
      await expectAccessible(colleague)
      await colleague.getByLabel(/attendance over that period/).fill('97')
      await colleague.getByRole('button', { name: 'Save and come back later' }).click()
      await colleague.waitForURL(contentsUrl)
      await colleague.getByRole('link', { name: 'Transitions', exact: true }).click()
      await expectAccessible(colleague)
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
