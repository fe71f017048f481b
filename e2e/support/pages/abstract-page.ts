import type { Locator, Page } from 'playwright-core'
import { expectAccessible } from '../browser.ts'
import { ErrorSummary } from './error-summary.ts'

/**
 * What every OpenPEP page has, for the page objects of the browser journeys (after the HMPPS
 * template's integration_tests/pages/abstractPage.ts): the main content, the heading, the
 * caption naming the child, the notification banner, the GOV.UK error summary, and axe.
 * Selectors are by role and label, as the journeys' own.
 */
export abstract class AbstractPage {
  readonly main: Locator
  readonly heading: Locator
  readonly caption: Locator
  readonly banner: Locator
  readonly errorSummary: ErrorSummary

  readonly page: Page

  protected constructor(page: Page) {
    this.page = page
    this.main = page.locator('main')
    this.heading = page.getByRole('heading', { level: 1 })
    this.caption = page.locator('.govuk-caption-l')
    this.banner = page.locator('.govuk-notification-banner')
    this.errorSummary = new ErrorSummary(page)
  }

  /** The main content's words, white space folded. */
  async mainText(): Promise<string> {
    return ((await this.main.textContent()) ?? '').replace(/\s+/g, ' ')
  }

  /** The page's first-level heading, white space folded and trimmed. */
  async headingText(): Promise<string> {
    return ((await this.heading.textContent()) ?? '').replace(/\s+/g, ' ').trim()
  }

  /** Fails the test on any WCAG 2.2 AA violation axe finds on the page as it is now. */
  async checkAccessible(): Promise<void> {
    await expectAccessible(this.page)
  }

  url(): string {
    return this.page.url()
  }

  async clickButton(name: string): Promise<void> {
    await this.page.getByRole('button', { name }).click()
  }

  async clickLink(name: string | RegExp, options: { exact?: boolean } = {}): Promise<void> {
    await this.page.getByRole('link', { name, exact: options.exact }).click()
  }
}
