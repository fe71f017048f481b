import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

/*
 * A social worker starts a PEP with its meeting and invites the designated teacher and someone
 * outside OpenPEP; the invitations (with their calendar file) are in the development mailbox;
 * moving the meeting sends each an update of the same calendar event.
 */

const SW = 'social.worker@example.org'
const DT = 'designated.teacher@example.org'
const OUTSIDER = 'head.of.year@kingsmead.example.org'

describe.skipIf(!hasChromium)('a PEP meeting’s invitations', () => {
  const journey = browserJourney()
  const db = () => journey.app.database.db
  const base = () => journey.app.baseUrl

  async function newChild(): Promise<string> {
    const [school, authority, sw, dt] = await Promise.all([
      db().selectFrom('school').select('id').where('urn', '=', '990002').executeTakeFirstOrThrow(),
      db().selectFrom('authority').select('id').where('code', '=', 'HFD').executeTakeFirstOrThrow(),
      db().selectFrom('app_user').select('id').where('email', '=', SW).executeTakeFirstOrThrow(),
      db().selectFrom('app_user').select('id').where('email', '=', DT).executeTakeFirstOrThrow(),
    ])
    const child = await db()
      .insertInto('child')
      .values({
        authority_id: authority.id,
        first_name: 'Ffion',
        last_name: 'Invite-Journey',
        date_of_birth: '2012-10-15',
        gender: 'female',
        case_reference: 'HFD-INVITE-1',
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
    'sends invitations with a calendar file, and an update when the meeting moves',
    { timeout: 180_000 },
    async () => {
      const childId = await newChild()
      const context = await newContext(journey.browser)
      const page = await context.newPage()
      await signInAs(page, base(), SW)
      await page.goto(`${base()}/children/${childId}/peps/start`)
      await expectAccessible(page)
      await page.getByLabel('Autumn term 2026').check()
      await page.getByLabel('Day').fill('2')
      await page.getByLabel('Month').fill('12')
      await page.getByLabel('Year').fill('2026')
      await page.getByLabel('Time of the meeting').fill('2:30pm')
      await page.getByLabel('Where the meeting is').fill('Kingsmead Academy, room 4')
      await page.getByLabel(/Robin Teacher/).check()
      await page.getByLabel('Anyone else to invite').fill(OUTSIDER)
      await page.getByRole('button', { name: 'Start the PEP' }).click()
      await page.waitForURL(/\/peps\/[0-9a-f-]{36}$/)
      const contentsUrl = page.url()

      // Each person sees only their own email in the mailbox; in the demo an administrator sees
      // everyone's (set-up changed with issue 13).
      const mailboxContext = await newContext(journey.browser)
      const mailbox = await mailboxContext.newPage()
      await signInAs(mailbox, base(), 'vs.admin@example.org')
      await mailbox.goto(`${base()}/dev/mailbox`)
      await expectAccessible(mailbox)
      const invitations = mailbox.getByRole('link', {
        name: 'You are invited to a Personal Education Plan meeting',
      })
      expect(await invitations.count()).toBeGreaterThanOrEqual(2)
      await invitations.first().click()
      await expectAccessible(mailbox)
      const text = (await mailbox.locator('main').textContent()) ?? ''
      expect(text).toContain('2 December 2026 at 2:30pm')
      expect(text).toContain('pep-meeting.ics')
      expect(text).toContain('DTSTART:20261202T143000Z')
      expect(text).not.toContain('Ffion')

      await page.goto(contentsUrl)
      await page.getByRole('link', { name: /Reschedule the meeting/ }).click()
      await expectAccessible(page)
      await page.getByLabel('Day').fill('4')
      await page.getByLabel('Month').fill('12')
      await page.getByLabel('Year').fill('2026')
      await page.getByLabel('New meeting time').fill('10am')
      await page.getByRole('button', { name: 'Reschedule' }).click()
      await page.waitForURL(contentsUrl)
      await mailbox.goto(`${base()}/dev/mailbox`)
      const updates = mailbox.getByRole('link', {
        name: 'A Personal Education Plan meeting has moved',
      })
      expect(await updates.count()).toBe(2)
      await updates.first().click()
      await expectAccessible(mailbox)
      const update = (await mailbox.locator('main').textContent()) ?? ''
      expect(update).toContain('It is now on 4 December 2026 at 10:00am.')
      expect(update).toContain('SEQUENCE:1')
      await mailboxContext.close()
      await context.close()
    },
  )
})
