import type { Locator } from 'playwright-core'
import { AbstractPage } from './abstract-page.ts'

/** An administrator's API clients (`/admin/settings/api-clients`). */
export class ApiClientsPage extends AbstractPage {
  static path(): string {
    return '/admin/settings/api-clients'
  }

  /** The list, once the browser has come back to it. */
  static readonly at = /\/admin\/settings\/api-clients/

  /** Presses Add an API client, and arrives on the form. */
  async addClient(): Promise<NewApiClientPage> {
    await this.page.getByRole('button', { name: 'Add an API client' }).click()
    await this.page.waitForURL(/\/admin\/settings\/api-clients\/new/)
    return new NewApiClientPage(this.page)
  }

  /** A client's summary card, by its name. */
  card(name: string): Locator {
    return this.page.locator('.govuk-summary-card', { hasText: name })
  }

  /** Presses Revoke on a client, and arrives on the page that asks. */
  async revoke(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Revoke ${name}` }).click()
    await this.page.waitForURL(/\/api-clients\/[\w-]+\/revoke/)
  }

  /** On the page that asks: yes, revoke it. */
  async confirmRevoke(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Yes, revoke ${name}` }).click()
  }

  /** Follows a client's Webhooks link to its webhooks. */
  async openWebhooks(name: string): Promise<WebhooksPage> {
    await this.page.getByRole('link', { name: `Webhooks for ${name}` }).click()
    return WebhooksPage.waitFor(this.page)
  }
}

/** Adding an API client (`/admin/settings/api-clients/new`); then its secret, shown once. */
export class NewApiClientPage extends AbstractPage {
  static path(): string {
    return '/admin/settings/api-clients/new'
  }

  /** Types the system's name, ticks what it may do (by label), and presses Add API client. */
  async fill(client: { name?: string; scopes?: readonly string[] }): Promise<void> {
    if (client.name) await this.page.getByLabel('Name of the system').fill(client.name)
    for (const scope of client.scopes ?? []) await this.page.getByLabel(scope).check()
  }

  /** Presses Add API client; waits for nothing (a refusal stays on the form). */
  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: 'Add API client' }).click()
  }

  /** Adds the client and waits for its secret to be shown. */
  async add(client: { name: string; scopes: readonly string[] }): Promise<void> {
    await this.fill(client)
    await this.submit()
    await this.page.getByText('API client added').waitFor()
  }

  /** The secret, shown once. */
  async secret(): Promise<string> {
    return (await this.page.textContent('#secret')) ?? ''
  }

  async backToClients(): Promise<ApiClientsPage> {
    await this.page.getByRole('link', { name: 'Back to API clients' }).click()
    return ApiClientsPage.waitFor(this.page)
  }
}

/** An API client's webhooks (`/admin/settings/api-clients/:id/webhooks`). */
export class WebhooksPage extends AbstractPage {
  static readonly at = /\/webhooks(\?|$)/

  async addWebhook(): Promise<NewWebhookPage> {
    await this.page.getByRole('button', { name: 'Add a webhook' }).click()
    await this.page.waitForURL(/\/webhooks\/new(\?|$)/)
    return new NewWebhookPage(this.page)
  }

  /** Follows the first webhook's Deliveries link to its delivery log. */
  async openDeliveries(): Promise<void> {
    await this.page.getByRole('link', { name: /^Deliveries/ }).click()
    await this.page.waitForURL(/\/deliveries(\?|$)/)
  }

  /** Presses Turn off, and arrives on the page that asks. */
  async turnOff(): Promise<void> {
    await this.page.getByRole('button', { name: /^Turn off/ }).click()
    await this.page.waitForURL(/\/remove(\?|$)/)
  }

  /** On the page that asks: yes, turn it off. */
  async confirmTurnOff(): Promise<void> {
    await this.page.getByRole('button', { name: 'Yes, turn it off' }).click()
  }
}

/** Adding a webhook (`…/webhooks/new`); then its signing secret, shown once. */
export class NewWebhookPage extends AbstractPage {
  get address() {
    return this.page.getByLabel('Address to send events to')
  }

  /** Ticks the first event to send. */
  async chooseFirstEvent(): Promise<void> {
    await this.page.locator('input[name="events"]').first().check()
  }

  /** Presses Add webhook; waits for nothing (a refusal stays on the form). */
  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: 'Add webhook' }).click()
  }

  async backToWebhooks(): Promise<WebhooksPage> {
    await this.page.getByRole('link', { name: 'Back to webhooks' }).click()
    return WebhooksPage.waitFor(this.page)
  }
}
