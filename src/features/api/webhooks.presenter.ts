import { WEBHOOK_EVENTS, isWebhookEvent, type WebhookEvent } from '../../domain/api-scopes.ts'
import { paths } from '../../paths.ts'
import { formatDateTime } from '../../views/format.ts'
import { forAuthority } from './clients.presenter.ts'
import type { DeliveryRow, WebhookRow } from './webhooks.service.ts'

/* The words and rows of the webhooks' pages. */

/** The titles of a client's webhook pages. */
export const webhookTitles = {
  list: (clientName: string) => `Webhooks for ${clientName}`,
  add: (clientName: string) => `Add a webhook for ${clientName}`,
  added: 'Webhook added',
  turnOff: 'Are you sure you want to turn off this webhook?',
  deliveries: (url: string) => `Deliveries to ${url}`,
}

export const eventNames = (events: readonly string[]) =>
  events.filter(isWebhookEvent).map((e) => WEBHOOK_EVENTS[e].name)

export function eventItems(allowed: readonly WebhookEvent[], checked: readonly string[]) {
  return allowed.map((event) => ({
    value: event,
    text: WEBHOOK_EVENTS[event].name,
    hint: { text: event },
    checked: checked.includes(event),
  }))
}

export function webhookRows(hooks: WebhookRow[], clientId: string, authority: { id: string }) {
  return hooks.map((h) => ({
    id: h.id,
    url: h.url,
    events: eventNames(h.events),
    status: h.removedAt ? `Turned off ${formatDateTime(h.removedAt)}` : 'On',
    added: formatDateTime(h.createdAt),
    deliveriesHref: forAuthority(paths.apiClients.deliveries(clientId, h.id), authority),
    removeHref: h.removedAt
      ? undefined
      : forAuthority(paths.apiClients.removeWebhook(clientId, h.id), authority),
  }))
}

const STATUS = { pending: 'Waiting to retry', delivered: 'Delivered', failed: 'Not delivered' }

export function deliveryRows(rows: DeliveryRow[]) {
  return rows.map((d) => ({
    id: d.id,
    event: d.eventType,
    created: formatDateTime(d.createdAt),
    status:
      d.status === 'pending' && d.attempts === 0
        ? 'Queued'
        : d.status === 'pending'
          ? `${STATUS.pending} at ${formatDateTime(d.nextAttemptAt)}`
          : d.status === 'delivered'
            ? `${STATUS.delivered} ${formatDateTime(d.deliveredAt!)}`
            : STATUS.failed,
    attempts: String(d.attempts),
    answer: d.lastError ?? (d.lastStatus ? String(d.lastStatus) : ''),
  }))
}

export const removedMessage = (url: string) =>
  `The webhook to ${url} is turned off: nothing more is sent to it`
