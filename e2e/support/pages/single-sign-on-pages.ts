import { AbstractPage } from './abstract-page.ts'

/** What to type on the provider's form; nothing is typed for what is not given. */
export interface ProviderForm {
  name?: string
  issuer?: string
  clientId?: string
  clientSecret?: string
  emailDomains?: string
}

/** An authority's single sign-on (`/admin/settings/single-sign-on?authority=…`): its providers. */
export class SingleSignOnPage extends AbstractPage {
  /** The page, once the browser has arrived on it (from the settings' overview, or saving). */
  static readonly at = /\/admin\/settings\/single-sign-on\?authority=/

  /** Presses Add a provider, and arrives on the provider's form. */
  async addProvider(): Promise<ProviderPage> {
    await this.page.getByRole('button', { name: 'Add a provider' }).click()
    return ProviderPage.waitFor(this.page, /\/providers\/new/)
  }

  /** Follows "Change whether passwords may be used" to its form. */
  async changePasswords(): Promise<PasswordsPage> {
    await this.page.getByRole('link', { name: 'Change whether passwords may be used' }).click()
    return PasswordsPage.waitFor(this.page)
  }

  /** Follows "Change <provider>" to that provider's form. */
  async changeProvider(name: string): Promise<ProviderPage> {
    await this.page.getByRole('link', { name: `Change ${name}` }).click()
    return ProviderPage.waitFor(this.page, /\/providers\/[0-9a-f-]+$/)
  }
}

/** A single sign-on provider's form (`…/single-sign-on/providers/new`, or `/providers/:id`). */
export class ProviderPage extends AbstractPage {
  async fill(form: ProviderForm): Promise<void> {
    if (form.name) await this.page.getByLabel('Name').fill(form.name)
    if (form.issuer) await this.page.getByLabel('Issuer URL').fill(form.issuer)
    if (form.clientId) await this.page.getByLabel('Client ID').fill(form.clientId)
    if (form.clientSecret)
      await this.page.getByLabel('Client secret', { exact: true }).fill(form.clientSecret)
    if (form.emailDomains) await this.page.getByLabel('Email domains').fill(form.emailDomains)
  }

  /** Presses Add provider; waits for nothing (a refusal stays on the form). */
  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: 'Add provider' }).click()
  }
}

/** Whether the authority's staff may also sign in with a password (`…/single-sign-on/passwords`). */
export class PasswordsPage extends AbstractPage {
  static readonly at = /\/single-sign-on\/passwords/

  /** A question's No, by words of its legend. */
  no(question: RegExp) {
    return this.page.getByRole('group', { name: question }).getByLabel('No', { exact: true })
  }

  /** "May they also sign in with a password?"'s No. */
  get noPasswords() {
    return this.no(/also sign in with a password/)
  }

  /** "Are they given one when they first sign in?"'s No. */
  get noPasswordGiven() {
    return this.no(/given one when they first sign in/)
  }

  /** Presses Save; waits for nothing. */
  async save(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save' }).click()
  }
}

/** Signing in, email first (`/sign-in/email`): the address decides password or provider. */
export class SignInEmailPage extends AbstractPage {
  static path(): string {
    return '/sign-in/email'
  }

  /** Types the address (if any) and presses Continue; waits for nothing. */
  async continue(email?: string): Promise<void> {
    if (email) await this.page.getByLabel('What is your email address?').fill(email)
    await this.page.getByRole('button', { name: 'Continue' }).click()
  }
}

/** Signing in with an authority's provider (`/sign-in/single-sign-on/:id?…`). */
export class ProviderSignInPage extends AbstractPage {
  static readonly at = /\/sign-in\/single-sign-on\/[0-9a-f-]+\?/

  /** Presses "Continue to <provider>"; waits for nothing (the provider's pages come next). */
  async continueTo(provider: string): Promise<void> {
    await this.page.getByRole('button', { name: `Continue to ${provider}` }).click()
  }
}

/** Signed out of OpenPEP after single sign-on (`/signed-out?provider=…`). */
export class SignedOutPage extends AbstractPage {
  static readonly at = /\/signed-out\?provider=/

  /** The "Sign out of <provider> as well" button (a link to the provider's sign-out). */
  providerSignOut(provider: string) {
    return this.page.getByRole('button', { name: `Sign out of ${provider} as well` })
  }
}
