import type { Locator, Page } from 'playwright-core'

/** The session timeout warning on every signed-in page (issue 15): its two dialogs. */
export class TimeoutDialog {
  readonly page: Page
  /** "You’re about to be signed out", two minutes before the end. */
  readonly warning: Locator
  /** "You have been signed out", when the time is up. */
  readonly ended: Locator
  readonly countdown: Locator
  readonly announce: Locator

  constructor(page: Page) {
    this.page = page
    this.warning = page.getByRole('dialog', { name: 'You’re about to be signed out' })
    this.ended = page.getByRole('dialog', { name: 'You have been signed out' })
    this.countdown = page.locator('[data-timeout-countdown]')
    this.announce = page.locator('[data-timeout-announce]')
  }

  /** Whether the focused element is inside a dialog. */
  focusInDialog(): Promise<boolean> {
    return this.page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))
  }

  /** Presses Stay signed in, and answers the keep-alive's response status. */
  async staySignedIn(): Promise<number> {
    const keptAlive = this.keepAlive()
    await this.page.getByRole('button', { name: 'Stay signed in' }).click()
    return (await keptAlive).status()
  }

  /** The next keep-alive request's response. */
  keepAlive() {
    return this.page.waitForResponse((r) => r.url().endsWith('/session/keep-alive'))
  }

  async signOut(): Promise<void> {
    await this.warning.getByRole('button', { name: 'Sign out' }).click()
  }

  get signInAgain(): Locator {
    return this.page.getByRole('link', { name: 'Sign in again' })
  }

  async backToThePage(): Promise<void> {
    await this.page.getByRole('button', { name: 'Back to the page' }).click()
  }
}
