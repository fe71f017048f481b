import type { Locator } from 'playwright-core'
import { AbstractPage } from './abstract-page.ts'

/** "I have forgotten my password" (`/account/forgotten-password`). */
export class ForgottenPasswordPage extends AbstractPage {
  /** The page, once the browser has arrived on it. */
  static path(): string {
    return '/account/forgotten-password'
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
  /** Below the app's address: the emailed link's path (`open(page, baseUrl, path)`). */
  static path(emailedPath: string): string {
    return emailedPath
  }

  /** The page's button: Set password on an invitation, Reset password on a reset link. */
  get buttonName(): 'Set password' | 'Reset password' {
    return this.path().startsWith('/account/invitation/') ? 'Set password' : 'Reset password'
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
  static path(): string {
    return '/account/two-step-verification'
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
  readonly codes: Locator = this.page.locator('#recovery-codes li')

  static path(): string {
    return '/account/recovery-codes'
  }

  async confirmSaved(): Promise<void> {
    await this.page.getByRole('button', { name: 'I have saved my recovery codes' }).click()
  }
}

/** Signing in's second step (`/sign-in/security-code`). */
export class SecurityCodePage extends AbstractPage {
  static path(): string {
    return '/sign-in/security-code'
  }

  async enter(code: string): Promise<void> {
    await this.page.getByLabel('Enter your security code').fill(code)
    await this.page.getByRole('button', { name: 'Continue' }).click()
  }
}
