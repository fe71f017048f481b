import type { Page } from 'playwright-core'
import { AbstractPage } from './abstract-page.ts'
import { ChildRecordPage } from './child-record-page.ts'

/** My work (`/`): the children on the person's list, where staff land after signing in. */
export class MyWorkPage extends AbstractPage {
  constructor(page: Page) {
    super(page)
  }

  static async open(page: Page, baseUrl: string): Promise<MyWorkPage> {
    await page.goto(`${baseUrl}/`)
    return new MyWorkPage(page)
  }

  /** My work, once the browser has arrived on it (after signing in). */
  static async waitFor(page: Page, baseUrl: string): Promise<MyWorkPage> {
    await page.waitForURL(`${baseUrl}/`)
    return new MyWorkPage(page)
  }

  /** The first child in the list. */
  get firstChild() {
    return this.page.locator('main table tbody a').first()
  }

  /** Follows the first child in the list to their record. */
  async openFirstChild(): Promise<ChildRecordPage> {
    await this.firstChild.click()
    return ChildRecordPage.waitFor(this.page)
  }
}
