import { describe, expect, it } from 'vitest'
import { hasChromium } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO, demoAuthorityId, demoChild } from './support/demo.ts'
import { ChildRecordPage } from './support/pages/child-record-page.ts'
import { DataRightsPage, RetentionPage } from './support/pages/data-rights-pages.ts'
import { signedIn } from './support/pages/sign-in-page.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'
import { hashPassword } from '../src/shared/passwords.ts'
import { makeChild, makeUser } from '../src/testing/factories.ts'
import { reviewRetention } from '../src/features/data-rights/retention.service.ts'

/*
 * The data subject's rights in Chromium (issue 22): the Virtual School administrator opens a
 * child's Data rights tab and downloads the subject access export; sets the authority's
 * retention period (refused first, what was typed kept); and erases a record past its date,
 * proposed by one administrator and confirmed by another. Without JavaScript; axe on every page.
 */

describe.skipIf(!hasChromium)(
  'an administrator answers a subject access request and reviews retention',
  () => {
    const journey = browserJourney()

    it('downloads a child’s export, sets the retention period, and erases a record with a second administrator', async () => {
      const db = journey.app.database.db
      const hfd = await demoAuthorityId(db)
      const charlie = await demoChild(db, 'Charlie', 'Young')
      // A child who left care in 2000, and a second administrator (a demo account, like the first).
      await makeChild(db, {
        authorityId: hfd,
        firstName: 'Jamie',
        lastName: 'Oldrecord',
        dateOfBirth: '1983-04-02',
        caseReference: 'OLD-2000-1',
        enteredCareOn: '1990-01-01',
        status: 'ceased',
        ceasedOn: '2000-04-01',
      })
      await makeUser(db, {
        email: 'second.admin@example.org',
        displayName: 'Sam Second',
        passwordHash: await hashPassword(DEMO_PASSWORD),
        demoAccount: true,
        role: 'vs_admin',
        authorityId: hfd,
      })

      const base = journey.app.baseUrl
      const page = await signedIn(journey, DEMO.admin)
      const record = await ChildRecordPage.open(page, base, charlie.id)
      await record.openTab('Data rights')
      const dataRights = await DataRightsPage.waitFor(page, base, charlie.id)
      expect(await dataRights.mainText()).toContain('Subject access')
      await dataRights.checkAccessible()
      const download = await dataRights.downloadExport()
      expect(download.suggestedFilename()).toMatch(/^Subject access Charlie Young .*\.zip$/)

      // The retention period: refused first, with what was typed kept.
      await dataRights.openRetention()
      const retention = await RetentionPage.waitFor(page, base)
      await retention.checkAccessible()
      await retention.setPeriod({ yearsAfterCare: 'ten' })
      expect(await retention.title()).toMatch(/^Error: /)
      expect(await retention.errorSummary.text()).toContain(
        'Years after leaving care must be a whole number from 1 to 100',
      )
      expect(await retention.yearsAfterCare.inputValue()).toBe('ten')
      await retention.checkAccessible()
      await retention.setPeriod({ yearsAfterCare: '25', untilAge: '' })
      expect(await retention.banner.textContent()).toContain('Retention period saved')
      expect(await retention.mainText()).toContain(
        'Records are kept 25 years after the child leaves care.',
      )

      // The night's job lists the old record; this administrator proposes erasing it.
      await reviewRetention({ db, now: journey.app.clock.now() })
      const listed = await RetentionPage.open(page, base)
      expect(await listed.mainText()).toContain('Jamie Oldrecord')
      await listed.checkAccessible()
      await listed.proposeButton('Jamie Oldrecord').click()
      expect(await listed.banner.textContent()).toContain('Erasure proposed')
      expect(await listed.mainText()).toContain('Proposed by Alex Admin')
      expect(await listed.confirmButton('Jamie Oldrecord').count()).toBe(0)
      await listed.checkAccessible()
      await page.context().close()

      // Another administrator confirms: the record is gone.
      const secondPage = await signedIn(journey, 'second.admin@example.org')
      const theirs = await RetentionPage.open(secondPage, base)
      await theirs.confirmButton('Jamie Oldrecord').click()
      expect(await theirs.banner.textContent()).toContain('Record erased')
      expect(await theirs.mainText()).not.toContain('Jamie Oldrecord')
      await theirs.checkAccessible()
      await secondPage.context().close()
    })
  },
)
