import type { Locator, Page } from 'playwright-core'
import { AbstractPage } from './abstract-page.ts'

/** "I have forgotten my password" (`/account/forgotten-password`). */
export class ForgottenPasswordPage extends AbstractPage {
  private constructor(page: Page) {
    super(page)
  }

  /** The page, once the browser has arrived on it. */
  static async waitFor(page: Page, baseUrl: string): Promise<ForgottenPasswordPage> {
    await page.waitForURL(`${baseUrl}/account/forgotten-password`)
    return new ForgottenPasswordPage(page)
  }

  /** Types the address and presses Send link; waits for nothing. */
  async sendLink(email: string): Promise<void> {
    await this.page.getByLabel('Email address').fill(email)
    await this.page.getByRole('button', { name: 'Send link' }).click()
  }
}

/**
 * Choosing a password from an emailed link: setting the first one from an invitation
 * (`/account/invitation/:token`, "Set password") or a new one (`/account/reset-password/:token`,
 * "Reset password").
 */
export class NewPasswordPage extends AbstractPage {
  readonly buttonName: string

  private constructor(page: Page, button: string) {
    super(page)
    this.buttonName = button
  }

  /** Opens the emailed link's path; `button` is the page's button, Set or Reset password. */
  static async open(
    page: Page,
    baseUrl: string,
    path: string,
    button: 'Set password' | 'Reset password',
  ): Promise<NewPasswordPage> {
    await page.goto(`${baseUrl}${path}`)
    return new NewPasswordPage(page, button)
  }

  /** Types the password twice (or a different confirmation) and presses the button. */
  async choose(password: string, confirmation = password): Promise<void> {
    await this.page.getByLabel('New password', { exact: true }).fill(password)
    await this.page.getByLabel('Confirm new password', { exact: true }).fill(confirmation)
    await this.page.getByRole('button', { name: this.buttonName }).click()
  }
}

/** Setting up two-step verification (`/account/two-step-verification`): the app's secret. */
export class TwoStepSetupPage extends AbstractPage {
  private constructor(page: Page) {
    super(page)
  }

  static async waitFor(page: Page, baseUrl: string): Promise<TwoStepSetupPage> {
    await page.waitForURL(`${baseUrl}/account/two-step-verification`)
    return new TwoStepSetupPage(page)
  }

  /** The secret to type into the authenticator app, spaces taken out. */
  async secret(): Promise<string> {
    return ((await this.page.locator('#secret').textContent()) ?? '').replaceAll(' ', '')
  }

  /** Types the app's code and presses Continue. */
  async confirm(code: string): Promise<void> {
    await this.page.getByLabel('Security code').fill(code)
    await this.page.getByRole('button', { name: 'Continue' }).click()
  }
}

/** The recovery codes shown once (`/account/recovery-codes`). */
export class RecoveryCodesPage extends AbstractPage {
  readonly codes: Locator

  private constructor(page: Page) {
    super(page)
    this.codes = page.locator('#recovery-codes li')
  }

  static async waitFor(page: Page, baseUrl: string): Promise<RecoveryCodesPage> {
    await page.waitForURL(`${baseUrl}/account/recovery-codes`)
    return new RecoveryCodesPage(page)
  }

  async confirmSaved(): Promise<void> {
    await this.page.getByRole('button', { name: 'I have saved my recovery codes' }).click()
  }
}

/** Signing in's second step (`/sign-in/security-code`). */
export class SecurityCodePage extends AbstractPage {
  private constructor(page: Page) {
    super(page)
  }

  static async waitFor(page: Page, baseUrl: string): Promise<SecurityCodePage> {
    await page.waitForURL(`${baseUrl}/sign-in/security-code`)
    return new SecurityCodePage(page)
  }

  async enter(code: string): Promise<void> {
    await this.page.getByLabel('Enter your security code').fill(code)
    await this.page.getByRole('button', { name: 'Continue' }).click()
  }
}
