import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

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
    const [school, authority, sw, dt, jamie] = await Promise.all([
      db().selectFrom('school').select('id').where('urn', '=', '990002').executeTakeFirstOrThrow(),
      db().selectFrom('authority').select('id').where('code', '=', 'HFD').executeTakeFirstOrThrow(),
      db().selectFrom('app_user').select('id').where('email', '=', SW).executeTakeFirstOrThrow(),
      db()
        .selectFrom('app_user')
        .select(['id', 'password_hash'])
        .where('email', '=', DT)
        .executeTakeFirstOrThrow(),
      db().selectFrom('app_user').select('id').where('email', '=', JAMIE).executeTakeFirstOrThrow(),
    ])
    await db()
      .updateTable('membership')
      .set({ school_id: school.id })
      .where('user_id', '=', jamie.id)
      .where('role', '=', 'designated_person')
      .execute()
    const sam = await db()
      .insertInto('app_user')
      .values({
        email: SAM,
        display_name: 'Sam Journey',
        status: 'active',
        password_hash: dt.password_hash,
        demo_account: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db()
      .insertInto('membership')
      .values({
        user_id: sam.id,
        authority_id: authority.id,
        role: 'designated_teacher',
        school_id: school.id,
      })
      .execute()
    const child = await db()
      .insertInto('child')
      .values({
        authority_id: authority.id,
        first_name: 'Tamsin',
        last_name: 'Parts-Journey',
        date_of_birth: '2012-10-15',
        gender: 'female',
        case_reference: 'HFD-PARTSJ-1',
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
    return { childId: child.id, teacherId: dt.id, swId: sw.id }
  }

  /** The social worker starts the PEP; its school's sections are delegated to the teacher. */
  async function startAndDelegate(who: { childId: string; teacherId: string; swId: string }) {
    const sw = await (await newContext(journey.browser)).newPage()
    await signInAs(sw, base(), SW)
    await sw.goto(`${base()}/children/${who.childId}/peps/start`)
    await sw.getByLabel('Autumn term 2026').check()
    await sw.getByLabel('Day').fill('20')
    await sw.getByLabel('Month').fill('11')
    await sw.getByLabel('Year').fill('2026')
    await sw.getByLabel('Time of the meeting').fill('10am')
    await sw.getByRole('button', { name: 'Start the PEP' }).click()
    await sw.waitForURL(/\/peps\/[0-9a-f-]{36}$/)
    const pepId = sw.url().split('/').at(-1)!
    // Delegated directly: another journey walks through delegating.
    await db()
      .insertInto('pep_delegation')
      .values({
        pep_id: pepId,
        delegated_to: who.teacherId,
        delegated_by: who.swId,
        sections: JSON.stringify(['B', 'C']),
        pages: null,
        due_on: '2026-12-04',
        status: 'delegated',
        created_at: new Date('2026-11-02T09:00:00Z'),
      })
      .execute()
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
      const context = await newContext(journey.browser)
      const dt = await context.newPage()
      await signInAs(dt, base(), DT)
      await dt.goto(passOnUrl)
      await expectAccessible(dt)
      expect(await dt.textContent('main')).toContain('You have not passed any pages on.')
      // A second tab on the same page, left open: its form goes stale.
      const stale = await context.newPage()
      await stale.goto(passOnUrl)

      // No page chosen: said at the field.
      await dt.getByLabel('Jamie College').check()
      await dt.getByRole('button', { name: 'Pass them on' }).click()
      expect(await dt.textContent('.govuk-error-summary')).toContain(
        'Select the pages your colleague completes',
      )
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
      const summary = await stale.textContent('.govuk-error-summary')
      expect(summary).toContain(
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
