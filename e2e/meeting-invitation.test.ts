import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO, newDemoChild } from './support/demo.ts'
import { fillDateByLabel } from './support/pages/fields.ts'
import { StartPepPage } from './support/pages/pep-pages.ts'
import { signedIn } from './support/pages/sign-in-page.ts'

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
  const base = () => journey.app.baseUrl

  const newChild = () =>
    newDemoChild(journey.app.database.db, {
      firstName: 'Ffion',
      lastName: 'Invite-Journey',
      caseReference: 'HFD-INVITE-1',
      access: [
        [SW, 'social_worker'],
        [DT, 'designated_teacher'],
      ],
    })

  it(
    'sends invitations with a calendar file, and an update when the meeting moves',
    { timeout: 180_000 },
    async () => {
      const childId = await newChild()
      const page = await signedIn(journey, SW)
      const start = await StartPepPage.open(page, base(), childId)
      await start.checkAccessible()
      const { contentsUrl } = await start.start({
        term: 'Autumn term 2026',
        meeting: {
          day: '2',
          month: '12',
          year: '2026',
          time: '2:30pm',
          where: 'Kingsmead Academy, room 4',
        },
        invite: ['Robin Teacher'],
        others: OUTSIDER,
      })

      // Each person sees only their own email in the mailbox; in the demo an administrator sees
      // everyone's (set-up changed with issue 13).
      const mailbox = await signedIn(journey, DEMO.admin)
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
      await fillDateByLabel(page, '4', '12', '2026')
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
      await mailbox.context().close()
      await page.context().close()
    },
  )
})
