import type { Download } from 'playwright-core'
import { AbstractPage } from './abstract-page.ts'

/** A child's Data rights tab (`/children/:id/data-rights`): the subject access export. */
export class DataRightsPage extends AbstractPage {
  static path(childId: string): string {
    return `/children/${childId}/data-rights`
  }

  /** Presses the download button and answers the download. */
  async downloadExport(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('button', { name: 'Download the subject access export (ZIP)' }).click(),
    ])
    return download
  }

  async openRetention(): Promise<void> {
    await this.page.getByRole('link', { name: 'Retention: records past their date' }).click()
  }
}

/** Retention (`/retention`): the authority's period, and the records past their date. */
export class RetentionPage extends AbstractPage {
  static path(): string {
    return '/retention'
  }

  get yearsAfterCare() {
    return this.page.getByLabel('Years after the child leaves care')
  }

  /** Types the period (an empty birthday age when given as '') and saves it. */
  async setPeriod(period: { yearsAfterCare: string; untilAge?: string }): Promise<void> {
    await this.yearsAfterCare.fill(period.yearsAfterCare)
    if (period.untilAge !== undefined)
      await this.page.getByLabel('Until the child’s birthday at this age').fill(period.untilAge)
    await this.page.getByRole('button', { name: 'Save retention period' }).click()
  }

  proposeButton(name: string) {
    return this.page.getByRole('button', { name: `Propose erasing the record of ${name}` })
  }

  confirmButton(name: string) {
    return this.page.getByRole('button', { name: `Confirm and erase the record of ${name}` })
  }
}
