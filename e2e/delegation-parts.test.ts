import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { demoAuthorityId, demoUserId, kingsmeadId, newDemoChild } from './support/demo.ts'
import { ErrorSummary } from './support/pages/error-summary.ts'
import { StartPepPage } from './support/pages/pep-pages.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { makeDelegation, makeUser } from '../src/testing/factories.ts'

/*
 * Passing different pages to different colleagues (issue 15): the designated teacher, given the
 * school's sections, passes Attendance to one colleague and, from a page opened before that (a
 * stale form), tries to pass Attendance to another too: refused at the field, with the error
 * summary. They pass SEN instead, see both colleagues listed with their pages, and take one part
 * back, leaving the other. The page where parts are made and listed is checked with axe at each
 * step.
 */

const SW = 'social.worker@example.org'
const DT = 'designated.teacher@example.org'
const JAMIE = 'designated.person@example.org'
const SAM = 'sam.journey@example.org'

describe.skipIf(!hasChromium)('passing pages on to colleagues', () => {
  const journey = browserJourney()
  const db = () => journey.app.database.db
  const base = () => journey.app.baseUrl

  /** A child at the teacher's school, its PEP delegated to the teacher; two colleagues there. */
  async function childAtSchool() {
    const school = await kingsmeadId(db())
    const [sw, dt, jamie] = await Promise.all([
      demoUserId(db(), SW),
      db()
        .selectFrom('app_user')
        .select(['id', 'password_hash'])
        .where('email', '=', DT)
        .executeTakeFirstOrThrow(),
      demoUserId(db(), JAMIE),
    ])
    await db()
      .updateTable('membership')
      .set({ school_id: school })
      .where('user_id', '=', jamie)
      .where('role', '=', 'designated_person')
      .execute()
    await makeUser(db(), {
      email: SAM,
      displayName: 'Sam Journey',
      passwordHash: dt.password_hash,
      demoAccount: true,
      role: 'designated_teacher',
      authorityId: await demoAuthorityId(db()),
      schoolId: school,
    })
    const childId = await newDemoChild(db(), {
      firstName: 'Tamsin',
      lastName: 'Parts-Journey',
      caseReference: 'HFD-PARTSJ-1',
      access: [
        [SW, 'social_worker'],
        [DT, 'designated_teacher'],
      ],
    })
    return { childId, teacherId: dt.id, swId: sw }
  }

  /** The social worker starts the PEP; its school's sections are delegated to the teacher. */
  async function startAndDelegate(who: { childId: string; teacherId: string; swId: string }) {
    const sw = await signedIn(journey, SW)
    const { pepId } = await (
      await StartPepPage.open(sw, base(), who.childId)
    ).start({
      term: 'Autumn term 2026',
      meeting: { day: '20', month: '11', year: '2026', time: '10am' },
    })
    // Delegated directly: another journey walks through delegating.
    await makeDelegation(db(), {
      pepId,
      to: who.teacherId,
      by: who.swId,
      dueOn: '2026-12-04',
      at: new Date('2026-11-02T09:00:00Z'),
    })
    return pepId
  }

  it(
    'passes pages to two colleagues, refuses a page already given, and takes one part back',
    { timeout: 240_000 },
    async () => {
      const who = await childAtSchool()
      const pepId = await startAndDelegate(who)
      const childId = who.childId
      const passOnUrl = `${base()}/children/${childId}/peps/${pepId}/actions/pass-on`
      const dt = await signedIn(journey, DT)
      await dt.goto(passOnUrl)
      await expectAccessible(dt)
      expect(await dt.textContent('main')).toContain('You have not passed any pages on.')
      // A second tab on the same page, left open: its form goes stale.
      const stale = await dt.context().newPage()
      await stale.goto(passOnUrl)

      // No page chosen: said at the field.
      await dt.getByLabel('Jamie College').check()
      await dt.getByRole('button', { name: 'Pass them on' }).click()
      await new ErrorSummary(dt).expectToContain('Select the pages your colleague completes')
      await expectAccessible(dt)
      await dt.getByLabel('Attendance', { exact: true }).check()
      await dt.getByRole('button', { name: 'Pass them on' }).click()
      await dt.waitForURL(/\/peps\/[0-9a-f-]{36}$/)
      await expectAccessible(dt)
      expect(await dt.textContent('main')).toContain(
        'Robin Teacher passed 1 page on to Jamie College',
      )

      // The stale tab gives Attendance to Sam as well: refused, naming the page and its holder.
      await stale.getByLabel('Sam Journey').check()
      await stale.getByLabel('Attendance', { exact: true }).check()
      await stale.getByLabel('Special educational needs', { exact: true }).check()
      await stale.getByRole('button', { name: 'Pass them on' }).click()
      await new ErrorSummary(stale).expectToContain(
        '‘Attendance’ is already with Jamie College: take it back first, or choose other pages',
      )
      await expectAccessible(stale)
      // What was chosen is kept; Attendance is no longer offered.
      expect(await stale.getByLabel('Sam Journey').isChecked()).toBe(true)
      expect(await stale.getByLabel('Special educational needs', { exact: true }).isChecked()).toBe(
        true,
      )
      expect(await stale.getByLabel('Attendance', { exact: true }).count()).toBe(0)
      await stale.getByRole('button', { name: 'Pass them on' }).click()
      await stale.waitForURL(/\/peps\/[0-9a-f-]{36}$/)

      // Both parts listed, each with its pages; one taken back, the other stays.
      await dt.goto(passOnUrl)
      await expectAccessible(dt)
      const jamieRow = dt.getByRole('row').filter({ hasText: 'Jamie College' })
      const samRow = dt.getByRole('row').filter({ hasText: 'Sam Journey' })
      expect(await jamieRow.textContent()).toContain('Attendance')
      expect(await samRow.textContent()).toContain('Special educational needs')
      await jamieRow.getByRole('button', { name: 'Take back the pages from Jamie College' }).click()
      await dt.waitForURL(passOnUrl)
      await expectAccessible(dt)
      expect(await dt.textContent('.govuk-notification-banner')).toContain(
        'The pages are back with you',
      )
      expect(await dt.getByRole('row').filter({ hasText: 'Jamie College' }).count()).toBe(0)
      expect(await dt.getByRole('row').filter({ hasText: 'Sam Journey' }).count()).toBe(1)
      expect(await dt.getByLabel('Attendance', { exact: true }).count()).toBe(1)
    },
  )
})
