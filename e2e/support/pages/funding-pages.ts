import type { Locator } from 'playwright-core'
import { AbstractPage } from './abstract-page.ts'

/** A Pupil Premium Plus payment run (`/funding/payment-runs/:id`). */
export class PaymentRunPage extends AbstractPage {
  /** Opens a run by its path (`/funding/payment-runs/…`). */
  static path(runPath: string): string {
    return runPath
  }

  static readonly at = /\/funding\/payment-runs\/[^/?]+\?authority=/

  /** Follows "discard it" to the page that asks why. */
  async startDiscarding(): Promise<DiscardRunPage> {
    await this.page.getByRole('link', { name: 'discard it' }).click()
    await this.page.waitForURL(/\/discard\?/)
    return new DiscardRunPage(this.page)
  }

  get csvLink(): Locator {
    return this.page.getByRole('link', { name: 'CSV' })
  }

  get markAsPaid(): Locator {
    return this.page.getByRole('button', { name: 'Mark as paid' })
  }
}

/** Discarding an unpaid payment run (`/funding/payment-runs/:id/discard`). */
export class DiscardRunPage extends AbstractPage {
  get reason(): Locator {
    return this.page.getByLabel('Why are you discarding it? (optional)')
  }

  /** Presses Discard this run; waits for nothing (a refusal stays on the page). */
  async discard(): Promise<void> {
    await this.page.getByRole('button', { name: 'Discard this run' }).click()
  }
}

/** The payment runs (`/funding/payment-runs?authority=…`). */
export class PaymentRunsPage extends AbstractPage {
  static readonly at = /\/funding\/payment-runs\?authority=/

  /** The row of the discarded run. */
  get discardedRow(): Locator {
    return this.page.locator('tr', { hasText: 'Discarded on' })
  }
}

/** Recording the funding's impact on the next PEP (`…/funding-impact/:requestId`). */
export class FundingImpactPage extends AbstractPage {
  /** Opened by its whole address (`open(page, url)`). */
  static path(): string {
    return ''
  }

  get difference(): Locator {
    return this.page.getByLabel('What difference did the funding make?')
  }

  /** Chooses the outcome by its label, types the difference, and saves. */
  async record(outcome: string, difference: string): Promise<void> {
    await this.page.getByLabel(outcome).check()
    await this.difference.fill(difference)
    await this.page.getByRole('button', { name: 'Save the impact' }).click()
  }
}
