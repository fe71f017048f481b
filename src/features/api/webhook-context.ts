import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { managedClientOf } from './clients-context.ts'
import { listWebhooks, type WebhookRow } from './webhooks.service.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** On a webhook's pages (`:webhookId`): the webhook, once proven to be the client's. */
    managedWebhook: WebhookRow | null
  }
}

/** Lets the webhook routes carry the webhook their URL names (once, where they are registered). */
export function decorateManagedWebhook(app: FastifyInstance): void {
  app.decorateRequest('managedWebhook', null)
}

/**
 * The pre-handler of a webhook's pages, after the client's (clients-context.ts): the client's
 * webhook `:webhookId` names, else 404. Turning one off takes only one still on; its log of
 * deliveries is read for one turned off too.
 */
export const loadManagedWebhook =
  (db: Database, which: 'open' | 'any') => async (request: FastifyRequest, reply: FastifyReply) => {
    const { webhookId } = request.params as { webhookId: string }
    const hook = (await listWebhooks(db, managedClientOf(request).id)).find(
      (h) => h.id === webhookId && (which === 'any' || !h.removedAt),
    )
    if (!hook) return reply.notFound()
    request.managedWebhook = hook
  }

/** The webhook the pre-handler loaded. */
export const managedWebhookOf = (request: FastifyRequest): WebhookRow => request.managedWebhook!
