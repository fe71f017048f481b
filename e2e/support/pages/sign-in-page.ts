import type { Browser, Page } from 'playwright-core'
import { newContext } from '../browser.ts'
import { DEMO_PASSWORD } from '../../../src/db/seed.ts'
import { AbstractPage } from './abstract-page.ts'

/** The sign-in page (`/sign-in`). */
export class SignInPage extends AbstractPage {
  static path(): string {
    return '/sign-in'
  }

  /** The app's address, from the page's. */
  get baseUrl(): string {
    return new URL(this.page.url()).origin
  }

  get emailField() {
    return this.page.getByLabel('Email address')
  }

  get passwordField() {
    return this.page.getByLabel('Password', { exact: true })
  }

  /** Types the email address and password and presses Sign in; waits for nothing. */
  async submit(
    email: string,
    password = DEMO_PASSWORD,
    options: { noWaitAfter?: boolean } = {},
  ): Promise<void> {
    await this.emailField.fill(email)
    await this.passwordField.fill(password)
    await this.page.getByRole('button', { name: 'Sign in' }).click(options)
  }

  /** Follows "I have forgotten my password". */
  async forgottenPassword(): Promise<void> {
    await this.page.getByRole('link', { name: 'I have forgotten my password' }).click()
  }

  /**
   * Signs in and waits for the home page: My work for staff, the carer's and the young
   * person's own homes for them (issue 20).
   */
  async signIn(email: string, password = DEMO_PASSWORD): Promise<void> {
    await this.submit(email, password)
    const base = this.baseUrl
    await this.page.waitForURL(
      (url) =>
        url.href === `${base}/` ||
        url.href === `${base}/my-children` ||
        (url.href.startsWith(`${base}/my-pep/`) && !url.href.slice(base.length + 8).includes('/')),
    )
  }
}

/** What a journey's browser session needs: the browser and the app's address. */
export interface BrowserJourney {
  browser: Browser
  app: { baseUrl: string }
}

/**
 * A demo person in a browser session of their own (a new context), signed in through the
 * sign-in page and on their home page. Close it with `page.context().close()`.
 */
export async function signedIn(
  journey: BrowserJourney,
  email: string,
  options: { javaScriptEnabled?: boolean; password?: string } = {},
): Promise<Page> {
  const context = await newContext(journey.browser, options)
  const page = await context.newPage()
  await (await SignInPage.open(page, journey.app.baseUrl)).signIn(email, options.password)
  return page
}
