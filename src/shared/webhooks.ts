import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Queryable } from '../db/connection.ts'
import { WEBHOOK_EVENTS, type WebhookEvent } from '../domain/api-scopes.ts'

/*
 * Queueing webhook events (issue 22, ADR 12), in the transaction that makes the change: one
 * delivery row per live webhook of the authority's active clients that chose the event. The
 * payload holds ids only, and only the ids the client's scopes let it read; the receiver fetches
 * the details through the API. Its `id` is the delivery's, the same on every attempt, so a
 * receiver can ignore a repeat. The API feature sends them (webhooks.delivery.ts).
 */

export interface WebhookOccurrence {
  authorityId: string
  type: WebhookEvent
  childId: string
  pepId?: string
  /** When it happened: the payload's `occurredAt`, and when it is first due. */
  at: Date
}

export async function queueWebhookEvent(db: Queryable, event: WebhookOccurrence): Promise<number> {
  return queueWebhookEvents(db, [event])
}

/**
 * `queueWebhookEvent` for many events at once (an attendance import): the webhooks read once per
 * authority, the deliveries inserted in one statement. Returns how many deliveries were queued.
 */
export async function queueWebhookEvents(
  db: Queryable,
  events: readonly WebhookOccurrence[],
): Promise<number> {
  let queued = 0
  for (const authorityId of [...new Set(events.map((e) => e.authorityId))]) {
    const ofAuthority = events.filter((e) => e.authorityId === authorityId)
    const types = [...new Set(ofAuthority.map((e) => e.type))]
    const hooks = await db
      .selectFrom('api_webhook as w')
      .innerJoin('api_client as c', 'c.id', 'w.client_id')
      .select(['w.id', 'w.events', 'c.scopes'])
      .where('c.authority_id', '=', authorityId)
      .where('c.revoked_at', 'is', null)
      .where('w.removed_at', 'is', null)
      .where(sql<boolean>`w.events && ${sql.val(types)}::text[]`)
      .orderBy('w.id')
      .execute()
    const rows = ofAuthority.flatMap((event) =>
      hooks
        .filter(
          (h) =>
            h.events.includes(event.type) && h.scopes.includes(WEBHOOK_EVENTS[event.type].scope),
        )
        .map((h) => {
          const id = randomUUID()
          const data: Record<string, string> = {}
          if (event.pepId && h.scopes.includes('peps:read')) data.pepId = event.pepId
          if (h.scopes.includes('children:read') || h.scopes.includes('peps:read'))
            data.childId = event.childId
          return {
            id,
            webhook_id: h.id,
            event_type: event.type,
            payload: JSON.stringify({
              id,
              type: event.type,
              occurredAt: event.at.toISOString(),
              data,
            }),
            created_at: event.at,
            next_attempt_at: event.at,
          }
        }),
    )
    if (rows.length) await db.insertInto('api_webhook_delivery').values(rows).execute()
    queued += rows.length
  }
  return queued
}
