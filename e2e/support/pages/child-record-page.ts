import type { Page } from 'playwright-core'
import { AbstractPage } from './abstract-page.ts'

/** A child's record (`/children/:id`) and its tabs. */
export class ChildRecordPage extends AbstractPage {
  private constructor(page: Page) {
    super(page)
  }

  static async open(page: Page, baseUrl: string, childId: string): Promise<ChildRecordPage> {
    await page.goto(`${baseUrl}/children/${childId}`)
    return new ChildRecordPage(page)
  }

  /** The record, once the browser has arrived on it (after following a link to it). */
  static async waitFor(page: Page): Promise<ChildRecordPage> {
    await page.waitForURL(/\/children\/[0-9a-f-]{36}$/)
    return new ChildRecordPage(page)
  }

  /** Follows one of the record's tabs (or any other link) by its exact name. */
  async openTab(name: string): Promise<void> {
    await this.page.getByRole('link', { name, exact: true }).click()
  }
}
