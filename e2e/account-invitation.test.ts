import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { generate } from 'otplib'
import { expectAccessible, hasChromium, launchBrowser, newContext } from './support/browser.ts'
import { startApp, type RunningApp } from './support/server.ts'
import { inviteUser } from '../src/features/account/invitations.service.ts'
import { setSetting } from '../src/shared/settings.ts'

let app: RunningApp
let browser: Browser

const EMAIL = 'jo.newcomer@example.org'
const PASSWORD = 'lantern-orchard-pebble'

describe.skipIf(!hasChromium)(
  'a new social worker accepts an invitation and signs in with two-step verification',
  () => {
    beforeAll(async () => {
      app = await startApp()
      browser = await launchBrowser()
      const db = app.database.db
      await setSetting(db, 'mfaRequiredForStaff', true, app.clock.now())
      const admin = await db
        .selectFrom('app_user')
        .select('id')
        .where('email', '=', 'vs.admin@example.org')
        .executeTakeFirstOrThrow()
      const authority = await db
        .selectFrom('authority')
        .select('id')
        .where('code', '=', 'HFD')
        .executeTakeFirstOrThrow()
      await inviteUser(db, {
        email: EMAIL,
        displayName: 'Jo Newcomer',
        authorityId: authority.id,
        role: 'social_worker',
        schoolId: null,
        invitedBy: { id: admin.id, displayName: 'Alex Admin', actingRole: 'vs_admin' },
        baseUrl: app.config.baseUrl,
        now: app.clock.now(),
      })
    })
    afterAll(async () => {
      await browser?.close()
      await app?.close()
    })

    const code = (secret: string) =>
      generate({ secret, epoch: Math.floor(app.clock.now().getTime() / 1000) })

    it('sets a password, sets up the app, keeps the recovery codes, and signs in again with a code', async () => {
      const email = await app.database.db
        .selectFrom('outbox_email')
        .select('text_body')
        .where('to_address', '=', EMAIL)
        .executeTakeFirstOrThrow()
      const path = /http:\/\/[^/\s]+(\/account\/invitation\/\S+)/.exec(email.text_body)?.[1]
      expect(path).toBeDefined()

      const context = await newContext(browser)
      const page = await context.newPage()
      await page.goto(`${app.baseUrl}${path}`)
      expect(await page.title()).toBe('Set your password – OpenPEP')
      await expectAccessible(page)

      // Too short first: the error is shown and the password is not kept.
      await page.getByLabel('New password', { exact: true }).fill('too-short')
      await page.getByLabel('Confirm new password', { exact: true }).fill('too-short')
      await page.getByRole('button', { name: 'Set password' }).click()
      await expect.poll(() => page.title()).toBe('Error: Set your password – OpenPEP')
      expect(await page.getByRole('alert').textContent()).toContain(
        'Password must be 12 characters or more',
      )
      await expectAccessible(page)

      await page.getByLabel('New password', { exact: true }).fill(PASSWORD)
      await page.getByLabel('Confirm new password', { exact: true }).fill(PASSWORD)
      await page.getByRole('button', { name: 'Set password' }).click()
      await page.waitForURL(`${app.baseUrl}/account/two-step-verification`)
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'Set up two-step verification',
      )
      await expectAccessible(page)

      const secret = ((await page.locator('#secret').textContent()) ?? '').replaceAll(' ', '')
      expect(secret).toMatch(/^[A-Z2-7]{32}$/)
      await page.getByLabel('Security code').fill(await code(secret))
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.waitForURL(`${app.baseUrl}/account/recovery-codes`)
      expect(await page.locator('#recovery-codes li').count()).toBe(10)
      await expectAccessible(page)

      await page.getByRole('button', { name: 'I have saved my recovery codes' }).click()
      await page.waitForURL(`${app.baseUrl}/`)
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My work')
      await expectAccessible(page)

      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForURL(`${app.baseUrl}/sign-in`)
      await expectAccessible(page)
      await page.getByLabel('Email address').fill(EMAIL)
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`${app.baseUrl}/sign-in/security-code`)
      await expectAccessible(page)

      // A minute later the app shows a new code.
      app.clock.advance(60_000)
      await page.getByLabel('Enter your security code').fill(await code(secret))
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.waitForURL(`${app.baseUrl}/`)
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My work')
      await expectAccessible(page)
      await context.close()
    })
  },
)
