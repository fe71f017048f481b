import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { generate } from 'otplib'
import { hasChromium, launchBrowser, newContext } from './support/browser.ts'
import { startApp, type RunningApp } from './support/server.ts'
import { DEMO, demoAuthorityId, demoUserId } from './support/demo.ts'
import {
  NewPasswordPage,
  RecoveryCodesPage,
  SecurityCodePage,
  TwoStepSetupPage,
} from './support/pages/account-pages.ts'
import { emailedPath } from './support/pages/mailbox-page.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { SignInPage } from './support/pages/sign-in-page.ts'
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
      await inviteUser(db, {
        email: EMAIL,
        displayName: 'Jo Newcomer',
        authorityId: await demoAuthorityId(db),
        role: 'social_worker',
        schoolId: null,
        invitedBy: {
          id: await demoUserId(db, DEMO.admin),
          displayName: 'Alex Admin',
          actingRole: 'vs_admin',
        },
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
      const path = emailedPath(email.text_body, '/account/invitation/')
      expect(path).toBeDefined()

      const context = await newContext(browser)
      const page = await context.newPage()
      const setPassword = await NewPasswordPage.open(page, app.baseUrl, path!)
      expect(await setPassword.title()).toBe('Set your password – OpenPEP')
      await setPassword.checkAccessible()

      // Too short first: the error is shown and the password is not kept.
      await setPassword.choose('too-short')
      await expect.poll(() => setPassword.title()).toBe('Error: Set your password – OpenPEP')
      expect(await setPassword.alertText()).toContain('Password must be 12 characters or more')
      await setPassword.checkAccessible()

      await setPassword.choose(PASSWORD)
      const twoStep = await TwoStepSetupPage.waitFor(page, app.baseUrl)
      expect(await twoStep.heading.textContent()).toBe('Set up two-step verification')
      await twoStep.checkAccessible()

      const secret = await twoStep.secret()
      expect(secret).toMatch(/^[A-Z2-7]{32}$/)
      await twoStep.confirm(await code(secret))
      const recovery = await RecoveryCodesPage.waitFor(page, app.baseUrl)
      expect(await recovery.codes.count()).toBe(10)
      await recovery.checkAccessible()

      await recovery.confirmSaved()
      const myWork = await MyWorkPage.waitFor(page, app.baseUrl)
      expect(await myWork.heading.textContent()).toBe('My work')
      await myWork.checkAccessible()

      await myWork.signOut()
      await page.waitForURL(`${app.baseUrl}/sign-in`)
      const signIn = SignInPage.on(page)
      await signIn.checkAccessible()
      await signIn.submit(EMAIL, PASSWORD)
      const securityCode = await SecurityCodePage.waitFor(page, app.baseUrl)
      await securityCode.checkAccessible()

      // A minute later the app shows a new code.
      app.clock.advance(60_000)
      await securityCode.enter(await code(secret))
      const again = await MyWorkPage.waitFor(page, app.baseUrl)
      expect(await again.heading.textContent()).toBe('My work')
      await again.checkAccessible()
      await context.close()
    })
  },
)
