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
  /** The GOV.UK error summary by its role (`alert`), as a screen reader finds it. */
  readonly alert: Locator
  readonly errorSummary: ErrorSummary

  readonly page: Page

  protected constructor(page: Page) {
    this.page = page
    this.main = page.locator('main')
    this.heading = page.getByRole('heading', { level: 1 })
    this.caption = page.locator('.govuk-caption-l')
    this.banner = page.locator('.govuk-notification-banner')
    this.alert = page.getByRole('alert')
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

  /** The path of the page's address, without the query. */
  path(): string {
    return new URL(this.page.url()).pathname
  }

  title(): Promise<string> {
    return this.page.title()
  }

  /** The words of the alert (the error summary), for `expect.poll` while a page loads. */
  async alertText(): Promise<string> {
    return (await this.alert.textContent()) ?? ''
  }

  /** Presses the header's Sign out button; waits for nothing (where it lands varies). */
  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out' }).click()
  }

  async clickButton(name: string): Promise<void> {
    await this.page.getByRole('button', { name }).click()
  }

  async clickLink(name: string | RegExp, options: { exact?: boolean } = {}): Promise<void> {
    await this.page.getByRole('link', { name, exact: options.exact }).click()
  }
}

/** Whatever page the browser is on, for the pages with no page object of their own. */
export class CurrentPage extends AbstractPage {
  constructor(page: Page) {
    super(page)
  }
}

/** The page the browser is on now, with what every page has. */
export function onPage(page: Page): CurrentPage {
  return new CurrentPage(page)
}
