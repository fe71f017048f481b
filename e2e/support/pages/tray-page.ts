import type { Locator } from 'playwright-core'
import { AbstractPage } from './abstract-page.ts'

/** The person's tray of tasks (`/tray`). */
export class TrayPage extends AbstractPage {
  static path(): string {
    return '/tray'
  }

  /** The row of a child's task, by the child's name. */
  row(childName: string): Locator {
    return this.page.getByRole('row').filter({ hasText: childName })
  }

  /** Follows a task's link in the child's row. */
  async openTask(childName: string, task: string): Promise<void> {
    await this.row(childName).getByRole('link', { name: task, exact: true }).click()
  }
}
