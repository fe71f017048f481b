import { expect } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { expectAccessible } from '../browser.ts'

/** The GOV.UK error summary at the top of a page refused by the server. */
export class ErrorSummary {
  readonly locator: Locator

  readonly page: Page

  constructor(page: Page) {
    this.page = page
    this.locator = page.locator('.govuk-error-summary')
  }

  /** The summary's words, once it is there. */
  async text(): Promise<string> {
    await this.locator.waitFor()
    return (await this.locator.textContent()) ?? ''
  }

  /** The summary is shown and names each message. */
  async expectToContain(...messages: string[]): Promise<void> {
    const text = await this.text()
    for (const message of messages) expect(text).toContain(message)
  }

  /** The page's title says "Error: " (as GOV.UK asks), and the summary names each message. */
  async expectErrorPage(...messages: string[]): Promise<void> {
    await expect.poll(() => this.page.title()).toMatch(/^Error: /)
    if (messages.length > 0) await this.expectToContain(...messages)
  }

  /** The summary names each message, and the refused page passes axe. */
  async expectAccessibleRefusal(...messages: string[]): Promise<void> {
    await this.expectToContain(...messages)
    await expectAccessible(this.page)
  }
}
