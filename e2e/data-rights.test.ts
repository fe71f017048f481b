import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'
import { DEMO_PASSWORD } from '../src/db/seed.ts'
import { hashPassword } from '../src/features/auth/passwords.ts'
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
      const hfd = await db
        .selectFrom('authority')
        .select('id')
        .where('code', '=', 'HFD')
        .executeTakeFirstOrThrow()
      const charlie = await db
        .selectFrom('child')
        .select('id')
        .where('first_name', '=', 'Charlie')
        .where('last_name', '=', 'Young')
        .executeTakeFirstOrThrow()
      // A child who left care in 2000, and a second administrator (a demo account, like the first).
      await db
        .insertInto('child')
        .values({
          authority_id: hfd.id,
          first_name: 'Jamie',
          last_name: 'Oldrecord',
          date_of_birth: '1983-04-02',
          gender: 'male',
          case_reference: 'OLD-2000-1',
          entered_care_on: '1990-01-01',
          status: 'ceased',
          ceased_on: '2000-04-01',
        })
        .execute()
      const second = await db
        .insertInto('app_user')
        .values({
          email: 'second.admin@example.org',
          display_name: 'Sam Second',
          password_hash: await hashPassword(DEMO_PASSWORD),
          status: 'active',
          demo_account: true,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await db
        .insertInto('membership')
        .values({ user_id: second.id, authority_id: hfd.id, role: 'vs_admin', school_id: null })
        .execute()

      const base = journey.app.baseUrl
      const context = await newContext(journey.browser)
      const page = await context.newPage()
      await signInAs(page, base, 'vs.admin@example.org')
      await page.goto(`${base}/children/${charlie.id}`)
      await page.getByRole('link', { name: 'Data rights' }).click()
      await page.waitForURL(`${base}/children/${charlie.id}/data-rights`)
      expect(await page.textContent('main')).toContain('Subject access')
      await expectAccessible(page)
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download the subject access export (ZIP)' }).click(),
      ])
      expect(download.suggestedFilename()).toMatch(/^Subject access Charlie Young .*\.zip$/)

      // The retention period: refused first, with what was typed kept.
      await page.getByRole('link', { name: 'Retention: records past their date' }).click()
      await page.waitForURL(`${base}/retention`)
      await expectAccessible(page)
      await page.getByLabel('Years after the child leaves care').fill('ten')
      await page.getByRole('button', { name: 'Save retention period' }).click()
      expect(await page.title()).toMatch(/^Error: /)
      expect(await page.textContent('.govuk-error-summary')).toContain(
        'Years after leaving care must be a whole number from 1 to 100',
      )
      expect(await page.getByLabel('Years after the child leaves care').inputValue()).toBe('ten')
      await expectAccessible(page)
      await page.getByLabel('Years after the child leaves care').fill('25')
      await page.getByLabel('Until the child’s birthday at this age').fill('')
      await page.getByRole('button', { name: 'Save retention period' }).click()
      expect(await page.textContent('.govuk-notification-banner')).toContain(
        'Retention period saved',
      )
      expect(await page.textContent('main')).toContain(
        'Records are kept 25 years after the child leaves care.',
      )

      // The night's job lists the old record; this administrator proposes erasing it.
      await reviewRetention({ db, now: journey.app.clock.now() })
      await page.goto(`${base}/retention`)
      expect(await page.textContent('main')).toContain('Jamie Oldrecord')
      await expectAccessible(page)
      await page
        .getByRole('button', { name: 'Propose erasing the record of Jamie Oldrecord' })
        .click()
      expect(await page.textContent('.govuk-notification-banner')).toContain('Erasure proposed')
      expect(await page.textContent('main')).toContain('Proposed by Alex Admin')
      expect(
        await page
          .getByRole('button', { name: 'Confirm and erase the record of Jamie Oldrecord' })
          .count(),
      ).toBe(0)
      await expectAccessible(page)
      await context.close()

      // Another administrator confirms: the record is gone.
      const other = await newContext(journey.browser)
      const secondPage = await other.newPage()
      await signInAs(secondPage, base, 'second.admin@example.org')
      await secondPage.goto(`${base}/retention`)
      await secondPage
        .getByRole('button', { name: 'Confirm and erase the record of Jamie Oldrecord' })
        .click()
      expect(await secondPage.textContent('.govuk-notification-banner')).toContain('Record erased')
      expect(await secondPage.textContent('main')).not.toContain('Jamie Oldrecord')
      await expectAccessible(secondPage)
      await other.close()
    })
  },
)
