import { sql } from 'kysely'
import type { Database, Queryable } from '../../db/connection.ts'
import type { WebhookDeliveryStatus } from '../../db/schema.ts'

/* Webhooks' rows: registered per API client, listed, removed; their deliveries claimed and marked. */

export interface WebhookRow {
  id: string
  clientId: string
  url: string
  events: string[]
  createdAt: Date
  removedAt: Date | null
}

export async function insertWebhook(
  db: Queryable,
  row: {
    id: string
    clientId: string
    url: string
    events: string[]
    secretSealed: string
    at: Date
  },
): Promise<void> {
  await db
    .insertInto('api_webhook')
    .values({
      id: row.id,
      client_id: row.clientId,
      url: row.url,
      events: row.events,
      secret_sealed: row.secretSealed,
      created_at: row.at,
    })
    .execute()
}

/** A client's webhooks, live ones first, newest first. */
export async function listWebhooks(db: Queryable, clientId: string): Promise<WebhookRow[]> {
  const rows = await db
    .selectFrom('api_webhook')
    .select(['id', 'client_id', 'url', 'events', 'created_at', 'removed_at'])
    .where('client_id', '=', clientId)
    .orderBy(sql`removed_at is not null`)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    clientId: r.client_id,
    url: r.url,
    events: r.events,
    createdAt: r.created_at,
    removedAt: r.removed_at,
  }))
}

/** Turns a live webhook off; undefined when there is none. Its pending deliveries are dropped. */
export async function markRemoved(db: Queryable, clientId: string, webhookId: string, at: Date) {
  const removed = await db
    .updateTable('api_webhook')
    .set({ removed_at: at })
    .where('id', '=', webhookId)
    .where('client_id', '=', clientId)
    .where('removed_at', 'is', null)
    .returning(['id', 'url'])
    .executeTakeFirst()
  if (removed)
    await db
      .updateTable('api_webhook_delivery')
      .set({ status: 'failed', last_error: 'The webhook was turned off' })
      .where('webhook_id', '=', webhookId)
      .where('status', '=', 'pending')
      .execute()
  return removed
}

export interface DeliveryRow {
  id: string
  eventType: string
  createdAt: Date
  status: WebhookDeliveryStatus
  attempts: number
  nextAttemptAt: Date
  lastStatus: number | null
  lastError: string | null
  deliveredAt: Date | null
}

/** The latest deliveries of a webhook, newest first. */
export async function listDeliveries(
  db: Queryable,
  webhookId: string,
  limit: number,
): Promise<DeliveryRow[]> {
  const rows = await db
    .selectFrom('api_webhook_delivery')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    eventType: r.event_type,
    createdAt: r.created_at,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    deliveredAt: r.delivered_at,
  }))
}

export interface DueDelivery {
  id: string
  payload: Record<string, unknown>
  attempts: number
  url: string
  secretSealed: string
  webhookId: string
}

/**
 * Claims what is due: each row's next attempt moves a lease ahead, so another sender leaves it
 * alone while this one tries; a crash before it is marked means one more attempt after the lease.
 * Only live webhooks of clients not revoked: the others' rows are closed as failed, unsent.
 */
export async function claimDueDeliveries(
  db: Database,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<DueDelivery[]> {
  await db
    .updateTable('api_webhook_delivery as d')
    .set({ status: 'failed', last_error: 'The webhook was turned off or its client revoked' })
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('api_webhook as w')
          .innerJoin('api_client as c', 'c.id', 'w.client_id')
          .select('w.id')
          .whereRef('w.id', '=', 'd.webhook_id')
          .where((o) =>
            o.or([o('w.removed_at', 'is not', null), o('c.revoked_at', 'is not', null)]),
          ),
      ),
    )
    .execute()
  const claimed = await db
    .updateTable('api_webhook_delivery')
    .set({ next_attempt_at: new Date(now.getTime() + leaseMs), attempts: sql`attempts + 1` })
    .where(
      'id',
      'in',
      db
        .selectFrom('api_webhook_delivery')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'payload', 'attempts', 'webhook_id'])
    .execute()
  if (claimed.length === 0) return []
  const hooks = await db
    .selectFrom('api_webhook')
    .select(['id', 'url', 'secret_sealed'])
    .where(
      'id',
      'in',
      claimed.map((c) => c.webhook_id),
    )
    .execute()
  const byId = new Map(hooks.map((h) => [h.id, h]))
  return claimed
    .map((c) => ({
      id: c.id,
      payload: c.payload,
      attempts: c.attempts,
      webhookId: c.webhook_id,
      url: byId.get(c.webhook_id)!.url,
      secretSealed: byId.get(c.webhook_id)!.secret_sealed,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

export async function markDelivered(db: Database, id: string, status: number, at: Date) {
  await db
    .updateTable('api_webhook_delivery')
    .set({ status: 'delivered', delivered_at: at, last_status: status, last_error: null })
    .where('id', '=', id)
    .execute()
}

export async function markAttemptFailed(
  db: Database,
  id: string,
  outcome: { status: number | null; error: string; retryAt: Date | null },
) {
  await db
    .updateTable('api_webhook_delivery')
    .set({
      status: outcome.retryAt ? 'pending' : 'failed',
      last_status: outcome.status,
      last_error: outcome.error,
      ...(outcome.retryAt ? { next_attempt_at: outcome.retryAt } : {}),
    })
    .where('id', '=', id)
    .execute()
}
