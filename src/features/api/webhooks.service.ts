import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import type { Database } from '../../db/connection.ts'
import type { WebhookEvent } from '../../domain/api-scopes.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { openSecret, sealSecret, type MfaKeyring } from '../../shared/secrets.ts'
import {
  claimDueDeliveries,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  markAttemptFailed,
  markDelivered,
  markRemoved,
  type DeliveryRow,
  type WebhookRow,
} from './webhooks.repository.ts'
import { postChecked, type HostLookup } from './webhook.client.ts'

/*
 * Webhooks (issue 22, ADR 12): an authority's administrator registers, per API client, a URL and
 * the events it is sent; its signing secret is shown once and kept encrypted (the signature needs
 * it back). Events are queued in the transaction of the change (src/shared/webhooks.ts) and sent
 * from there by `deliverDueWebhooks`, at least once, retried with back-off.
 *
 * Each request is a POST of the JSON payload with:
 *   OpenPEP-Webhook-Id: the delivery's id (the same on every attempt: ignore a repeat)
 *   OpenPEP-Webhook-Timestamp: seconds since 1970 when this attempt was signed
 *   OpenPEP-Webhook-Signature: v1=hex(HMAC-SHA256(secret, `${timestamp}.${body}`))
 */

export { listDeliveries, listWebhooks, type DeliveryRow, type WebhookRow }

const SECRET_PURPOSE = 'webhook-secret'
const SECRET_PREFIX = 'whsec_'

export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`
}

/** The signature header's value for a body signed at `timestamp` (seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`
}

export async function registerWebhook(
  db: Database,
  actor: PersonActor,
  input: {
    authorityId: string
    clientId: string
    url: string
    events: WebhookEvent[]
    keyring: MfaKeyring
  },
): Promise<{ id: string; secret: string }> {
  const id = randomUUID()
  const secret = newWebhookSecret()
  await db.transaction().execute(async (trx) => {
    await insertWebhook(trx, {
      id,
      clientId: input.clientId,
      url: input.url,
      events: input.events,
      secretSealed: sealSecret(input.keyring, id, secret, SECRET_PURPOSE),
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'api.webhook.create',
      authorityId: input.authorityId,
      details: { clientId: input.clientId, webhookId: id, url: input.url, events: input.events },
    })
  })
  return { id, secret }
}

export async function removeWebhook(
  db: Database,
  actor: PersonActor,
  input: { authorityId: string; clientId: string; webhookId: string },
): Promise<Result<{ url: string }, 'webhook.not-found'>> {
  return db.transaction().execute(async (trx) => {
    const removed = await markRemoved(trx, input.clientId, input.webhookId, actor.now)
    if (!removed) return refuse('webhook.not-found')
    await audit(trx, actor, {
      action: 'api.webhook.remove',
      authorityId: input.authorityId,
      details: { clientId: input.clientId, webhookId: input.webhookId },
    })
    return ok({ url: removed.url })
  })
}

const LEASE_MS = 60_000
const BASE_DELAY_MS = 60_000
const MAX_DELAY_MS = 6 * 60 * 60_000
/** Attempts before a delivery is given up (about a day and a half of back-off). */
export const MAX_WEBHOOK_ATTEMPTS = 10
const TIMEOUT_MS = 10_000

/** Back-off after a failed attempt: 1 min, 2, 4 ... capped at 6 hours. */
export function webhookRetryDelayMs(attempts: number): number {
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1))
}

export interface DeliveryRun {
  delivered: number
  failed: number
}

/**
 * Sends the deliveries due at `now`: a 2xx marks one delivered (never sent again); anything else,
 * or no answer in 10 s, is tried again later, up to MAX_WEBHOOK_ATTEMPTS. Redirects are not
 * followed (the URL registered is the one called).
 */
export async function deliverDueWebhooks(options: {
  db: Database
  now: Date
  keyring: MfaKeyring
  batchSize?: number
  /** Loopback addresses may be sent to (WEBHOOK_LOOPBACK_HTTP=allow; tests); off by default. */
  allowLoopback?: boolean
  lookup?: HostLookup
}): Promise<DeliveryRun> {
  const { db, now, keyring } = options
  const policy = {
    allowLoopback: options.allowLoopback ?? false,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  }
  const due = await claimDueDeliveries(db, now, LEASE_MS, options.batchSize ?? 20)
  const run: DeliveryRun = { delivered: 0, failed: 0 }
  for (const delivery of due) {
    const body = JSON.stringify(delivery.payload)
    const timestamp = Math.floor(now.getTime() / 1000)
    let status: number | null = null
    let error: string
    try {
      const secret = openSecret(keyring, delivery.webhookId, delivery.secretSealed, SECRET_PURPOSE)
      // Resolved, checked and connected to the checked address (webhook.client.ts).
      status = await postChecked(
        delivery.url,
        {
          timeoutMs: TIMEOUT_MS,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'OpenPEP-Webhooks/1',
            'openpep-webhook-id': delivery.id,
            'openpep-webhook-timestamp': String(timestamp),
            'openpep-webhook-signature': signWebhook(secret, timestamp, body),
          },
          body,
        },
        policy,
      )
      if (status >= 200 && status < 300) {
        await markDelivered(db, delivery.id, status, now)
        run.delivered++
        continue
      }
      error = `Answered ${status}`
    } catch (err) {
      error = err instanceof Error ? err.message.slice(0, 200) : 'Could not send'
    }
    run.failed++
    const retryAt =
      delivery.attempts >= MAX_WEBHOOK_ATTEMPTS
        ? null
        : new Date(now.getTime() + webhookRetryDelayMs(delivery.attempts))
    await markAttemptFailed(db, delivery.id, { status, error, retryAt })
  }
  return run
}

/**
 * Sends due webhooks every `everyMs` in this process (one pass at a time); several processes
 * share the work through the claim's lease. Answers a function that stops it after the pass.
 */
export function startWebhookSender(options: {
  db: Database
  clock: { now(): Date }
  keyring: MfaKeyring
  everyMs: number
  log: { error(object: object, message: string): void }
  /** WEBHOOK_LOOPBACK_HTTP=allow (never in production): loopback addresses may be sent to. */
  allowLoopback: boolean
}): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve()
  let busy = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    running = deliverDueWebhooks({
      db: options.db,
      now: options.clock.now(),
      keyring: options.keyring,
      allowLoopback: options.allowLoopback,
    })
      .catch((err: unknown) => options.log.error({ err }, 'webhooks were not sent'))
      .finally(() => {
        busy = false
      })
  }, options.everyMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
