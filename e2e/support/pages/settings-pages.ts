import type { Locator, Page } from 'playwright-core'
import { AbstractPage } from './abstract-page.ts'
import { fillDateByLabel } from './fields.ts'

/** An administrator's settings (`/admin/settings`): the overview of one authority's settings. */
export class SettingsPage extends AbstractPage {
  static path(): string {
    return '/admin/settings'
  }

  /** The overview from the menu's Settings link. */
  static async fromMenu(page: Page, baseUrl: string): Promise<SettingsPage> {
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    return SettingsPage.waitFor(page, baseUrl)
  }

  /** The overview of one authority, once a form has saved and come back to it (`waitFor(page)`). */
  static readonly at = /\/admin\/settings\?authority=/

  /** The summary card with these words in it. */
  card(hasText: string): Locator {
    return this.page.locator('.govuk-summary-card', { hasText })
  }

  /** Follows a "Change …" link to one setting's form, and waits for the form's address. */
  async change(linkName: string, formUrl: RegExp): Promise<SettingsFormPage> {
    await this.page.getByRole('link', { name: linkName }).click()
    await this.page.waitForURL(formUrl)
    return new SettingsFormPage(this.page)
  }
}

/**
 * One setting's form (`/admin/settings/<setting>?authority=…`): timescales, closure days,
 * quality assurance, carers, term windows, reminders, scheduled work. Its fields are by label.
 */
export class SettingsFormPage extends AbstractPage {
  /** A field by its label, on the form or inside one question (`group`). */
  field(label: string, options: { group?: string | RegExp; exact?: boolean } = {}): Locator {
    const scope = options.group ? this.group(options.group) : this.page
    return scope.getByLabel(label, { exact: options.exact })
  }

  /** A fieldset (a question or a date) by its legend. */
  group(name: string | RegExp): Locator {
    return this.page.getByRole('group', { name })
  }

  /** Types a date into the form's date input (or the one in `group`). */
  async fillDate(day: string, month: string, year: string, group?: string): Promise<void> {
    await fillDateByLabel(group ? this.group(group) : this.page, day, month, year)
  }

  /** Presses the form's button; waits for nothing (a refusal stays on the form). */
  async save(button: string): Promise<void> {
    await this.page.getByRole('button', { name: button }).click()
  }

  /** Presses the form's button and comes back to the settings' overview. */
  async saveAndReturn(button: string): Promise<SettingsPage> {
    await this.save(button)
    return SettingsPage.waitFor(this.page)
  }

  /** Follows Back to settings. */
  async backToSettings(): Promise<SettingsPage> {
    await this.page.getByRole('link', { name: 'Back to settings' }).click()
    return SettingsPage.waitFor(this.page)
  }
}
