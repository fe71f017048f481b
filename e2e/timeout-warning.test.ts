import { describe, expect, it } from 'vitest'
import { hasChromium, newContext } from './support/browser.ts'
import { browserJourney } from './support/journey.ts'
import { DEMO } from './support/demo.ts'
import { MyWorkPage } from './support/pages/my-work-page.ts'
import { SignInPage, signedIn } from './support/pages/sign-in-page.ts'
import { TimeoutDialog } from './support/pages/timeout-dialog.ts'
import { TrayPage } from './support/pages/tray-page.ts'

/*
 * The session timeout warning (issue 15, WCAG 2.2.1): two minutes before 30 idle minutes are up,
 * a modal dialog warns, takes focus, announces the time left, and lets the person stay signed in
 * (Escape too) or sign out; when the time is up it says they were signed out and what they typed
 * is still on the page. The browser's clock is a fake one the test moves on: nothing sleeps.
 */

const MINUTE = 60_000

describe.skipIf(!hasChromium)('the session timeout warning', () => {
  const journey = browserJourney()

  it('warns before the session ends, keeps it alive, and says when it has ended', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await page.clock.install({ time: journey.app.clock.now() })
    const base = journey.app.baseUrl
    await (await SignInPage.open(page, base)).signIn(DEMO.socialWorker)
    const myWork = new MyWorkPage(page)
    const timeout = new TimeoutDialog(page)
    const dialog = timeout.warning
    expect(await dialog.isVisible()).toBe(false)

    // Focus somewhere on the page, to see it come back.
    const link = page.getByRole('link', { name: /Open my tray/ })
    await link.focus()
    await page.clock.runFor(27 * MINUTE)
    expect(await dialog.isVisible()).toBe(false)
    await page.clock.runFor(MINUTE + 1000)
    await expect.poll(() => dialog.isVisible()).toBe(true)
    // The page loaded a moment after the fake clock started, so about 2 minutes are left.
    const { countdown, announce } = timeout
    const firstLeft = (await countdown.textContent()) ?? ''
    expect(firstLeft).toMatch(/^(2 minutes|1 minute 5\d seconds)$/)
    const firstAnnounced = (await announce.textContent()) ?? ''
    expect(firstAnnounced).toMatch(/^You will be signed out in (2 minutes|1 minute 5\d seconds)\.$/)
    // Focus is in the dialog, and stays there: the page behind is inert.
    expect(await timeout.focusInDialog()).toBe(true)
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab')
      expect(await timeout.focusInDialog(), `Tab ${i + 1} stays in the dialog`).toBe(true)
    }
    // The countdown moves every second; the announcement only every 30 seconds. (The fake clock
    // also runs in real time: axe comes after these readings, not between them, as on a busy
    // machine it took more than the 5 seconds between them.)
    await page.clock.runFor(5_000)
    expect(await countdown.textContent()).not.toBe(firstLeft)
    expect(await countdown.textContent()).toMatch(/^1 minute 5\d seconds$/)
    expect(await announce.textContent()).toBe(firstAnnounced)
    await myWork.checkAccessible()
    await page.clock.runFor(60_000)
    expect(await announce.textContent()).toMatch(
      /^You will be signed out in (1 minute|\d+ seconds?)/,
    )
    expect(await announce.textContent()).not.toBe(firstAnnounced)

    // Stay signed in: the session is kept alive, the dialog closes, focus comes back.
    expect(await timeout.staySignedIn()).toBe(200)
    await expect.poll(() => dialog.isVisible()).toBe(false)
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/Open my tray/)

    // The warning comes again 28 minutes later; Escape also stays signed in.
    await page.clock.runFor(28 * MINUTE + 1000)
    await expect.poll(() => dialog.isVisible()).toBe(true)
    const again = timeout.keepAlive()
    await page.keyboard.press('Escape')
    await again
    await expect.poll(() => dialog.isVisible()).toBe(false)

    // Doing nothing: at 30 minutes the dialog says so, and offers to sign in again here.
    await page.clock.runFor(30 * MINUTE + 1000)
    const ended = timeout.ended
    await expect.poll(() => ended.isVisible()).toBe(true)
    expect(await ended.textContent()).toContain('What you typed is still on this page')
    expect(await timeout.signInAgain.getAttribute('href')).toBe('/sign-in?returnTo=%2F')
    await myWork.checkAccessible()
    await timeout.backToThePage()
    await expect.poll(() => ended.isVisible()).toBe(false)
    expect(await myWork.heading.textContent()).toBe('My work')
    await context.close()
  })

  it('counts from the latest activity in any tab, so a tab left alone does not warn', async () => {
    const context = await newContext(journey.browser)
    await context.clock.install({ time: journey.app.clock.now() })
    const base = journey.app.baseUrl
    const first = await context.newPage()
    await (await SignInPage.open(first, base)).signIn(DEMO.socialWorker)
    await first.clock.runFor(20 * MINUTE)
    const second = await context.newPage()
    const tray = await TrayPage.open(second, base)
    // 29 minutes after the first tab's page loaded, but 9 after the second's.
    await first.clock.runFor(9 * MINUTE)
    const warning = (page: typeof first) => new TimeoutDialog(page).warning
    expect(await warning(first).isVisible()).toBe(false)
    expect(await warning(second).isVisible()).toBe(false)
    // 28 minutes after the second tab's activity, both warn.
    await first.clock.runFor(19 * MINUTE + 1000)
    await expect.poll(() => warning(second).isVisible()).toBe(true)
    await expect.poll(() => warning(first).isVisible()).toBe(true)
    // Staying signed in from one tab closes the other's warning too.
    await tray.clickButton('Stay signed in')
    await expect.poll(() => warning(second).isVisible()).toBe(false)
    await first.clock.runFor(2000)
    await expect.poll(() => warning(first).isVisible()).toBe(false)
    await context.close()
  })

  it('signs out from the warning', async () => {
    const context = await newContext(journey.browser)
    const page = await context.newPage()
    await page.clock.install({ time: journey.app.clock.now() })
    const base = journey.app.baseUrl
    await (await SignInPage.open(page, base)).signIn(DEMO.socialWorker)
    await page.clock.runFor(28 * MINUTE + 1000)
    const timeout = new TimeoutDialog(page)
    await expect.poll(() => timeout.warning.isVisible()).toBe(true)
    await timeout.signOut()
    await page.waitForURL(`${base}/sign-in`)
    const home = await MyWorkPage.open(page, base)
    expect(home.path()).toBe('/sign-in')
    await context.close()
  })

  it('is not there without JavaScript, and nothing else changes', async () => {
    const page = await signedIn(journey, DEMO.socialWorker, { javaScriptEnabled: false })
    expect(await page.getByRole('dialog').count()).toBe(0)
    expect(await new MyWorkPage(page).heading.textContent()).toBe('My work')
    await page.context().close()
  })
})
