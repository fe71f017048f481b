import { describe, expect, it } from 'vitest'
import { expectAccessible, hasChromium, newContext } from './support/browser.ts'
import { browserJourney, signInAs } from './support/journey.ts'

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
    await signInAs(page, base, 'social.worker@example.org')
    const dialog = page.getByRole('dialog', { name: 'You’re about to be signed out' })
    expect(await dialog.isVisible()).toBe(false)

    // Focus somewhere on the page, to see it come back.
    const link = page.getByRole('link', { name: /Open my tray/ })
    await link.focus()
    await page.clock.runFor(27 * MINUTE)
    expect(await dialog.isVisible()).toBe(false)
    await page.clock.runFor(MINUTE + 1000)
    await expect.poll(() => dialog.isVisible()).toBe(true)
    // The page loaded a moment after the fake clock started, so about 2 minutes are left.
    const countdown = page.locator('[data-timeout-countdown]')
    const announce = page.locator('[data-timeout-announce]')
    const firstLeft = (await countdown.textContent()) ?? ''
    expect(firstLeft).toMatch(/^(2 minutes|1 minute 5\d seconds)$/)
    const firstAnnounced = (await announce.textContent()) ?? ''
    expect(firstAnnounced).toMatch(/^You will be signed out in (2 minutes|1 minute 5\d seconds)\.$/)
    // Focus is in the dialog, and stays there: the page behind is inert.
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true)
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab')
      expect(
        await page.evaluate(() => Boolean(document.activeElement?.closest('dialog'))),
        `Tab ${i + 1} stays in the dialog`,
      ).toBe(true)
    }
    await expectAccessible(page)
    // The countdown moves every second; the announcement only every 30 seconds.
    await page.clock.runFor(5_000)
    expect(await countdown.textContent()).not.toBe(firstLeft)
    expect(await countdown.textContent()).toMatch(/^1 minute 5\d seconds$/)
    expect(await announce.textContent()).toBe(firstAnnounced)
    await page.clock.runFor(60_000)
    expect(await announce.textContent()).toMatch(
      /^You will be signed out in (1 minute|\d+ seconds?)/,
    )
    expect(await announce.textContent()).not.toBe(firstAnnounced)

    // Stay signed in: the session is kept alive, the dialog closes, focus comes back.
    const keptAlive = page.waitForResponse((r) => r.url().endsWith('/session/keep-alive'))
    await page.getByRole('button', { name: 'Stay signed in' }).click()
    expect((await keptAlive).status()).toBe(200)
    await expect.poll(() => dialog.isVisible()).toBe(false)
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/Open my tray/)

    // The warning comes again 28 minutes later; Escape also stays signed in.
    await page.clock.runFor(28 * MINUTE + 1000)
    await expect.poll(() => dialog.isVisible()).toBe(true)
    const again = page.waitForResponse((r) => r.url().endsWith('/session/keep-alive'))
    await page.keyboard.press('Escape')
    await again
    await expect.poll(() => dialog.isVisible()).toBe(false)

    // Doing nothing: at 30 minutes the dialog says so, and offers to sign in again here.
    await page.clock.runFor(30 * MINUTE + 1000)
    const ended = page.getByRole('dialog', { name: 'You have been signed out' })
    await expect.poll(() => ended.isVisible()).toBe(true)
    expect(await ended.textContent()).toContain('What you typed is still on this page')
    expect(await page.getByRole('link', { name: 'Sign in again' }).getAttribute('href')).toBe(
      '/sign-in?returnTo=%2F',
    )
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Back to the page' }).click()
    await expect.poll(() => ended.isVisible()).toBe(false)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My work')
    await context.close()
  })

  it('counts from the latest activity in any tab, so a tab left alone does not warn', async () => {
    const context = await newContext(journey.browser)
    await context.clock.install({ time: journey.app.clock.now() })
    const base = journey.app.baseUrl
    const first = await context.newPage()
    await signInAs(first, base, 'social.worker@example.org')
    await first.clock.runFor(20 * MINUTE)
    const second = await context.newPage()
    await second.goto(`${base}/tray`)
    // 29 minutes after the first tab's page loaded, but 9 after the second's.
    await first.clock.runFor(9 * MINUTE)
    const warning = (page: typeof first) =>
      page.getByRole('dialog', { name: 'You’re about to be signed out' })
    expect(await warning(first).isVisible()).toBe(false)
    expect(await warning(second).isVisible()).toBe(false)
    // 28 minutes after the second tab's activity, both warn.
    await first.clock.runFor(19 * MINUTE + 1000)
    await expect.poll(() => warning(second).isVisible()).toBe(true)
    await expect.poll(() => warning(first).isVisible()).toBe(true)
    // Staying signed in from one tab closes the other's warning too.
    await second.getByRole('button', { name: 'Stay signed in' }).click()
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
    await signInAs(page, base, 'social.worker@example.org')
    await page.clock.runFor(28 * MINUTE + 1000)
    const dialog = page.getByRole('dialog', { name: 'You’re about to be signed out' })
    await expect.poll(() => dialog.isVisible()).toBe(true)
    await dialog.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${base}/sign-in`)
    await page.goto(`${base}/`)
    expect(new URL(page.url()).pathname).toBe('/sign-in')
    await context.close()
  })

  it('is not there without JavaScript, and nothing else changes', async () => {
    const context = await newContext(journey.browser, { javaScriptEnabled: false })
    const page = await context.newPage()
    await signInAs(page, journey.app.baseUrl, 'social.worker@example.org')
    expect(await page.getByRole('dialog').count()).toBe(0)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My work')
    await context.close()
  })
})
