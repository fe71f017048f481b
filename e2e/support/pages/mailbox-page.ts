import { AbstractPage } from './abstract-page.ts'

/** The development mailbox (`/dev/mailbox`): each person's own email (issue 13). */
export class MailboxPage extends AbstractPage {
  static path(): string {
    return '/dev/mailbox'
  }

  /** Opens the newest email with this subject. */
  async openEmail(subject: string): Promise<void> {
    await this.page.getByRole('link', { name: subject }).first().click()
  }

  /** The open email's text. */
  async body(): Promise<string> {
    return (await this.page.locator('pre').textContent()) ?? ''
  }
}

/** The path of the first link to `prefix` in an email's text (`/account/reset-password/…`). */
export function emailedPath(text: string, prefix: string): string | undefined {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`http://[^/\\s]+(${escaped}\\S+)`).exec(text)?.[1]
}
