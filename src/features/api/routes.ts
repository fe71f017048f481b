import rateLimit from '@fastify/rate-limit'
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { ApiScope } from '../../domain/api-scopes.ts'
import type { Clock } from '../../domain/clock.ts'
import { postgresRateLimitStore } from '../../plugins/rate-limit-store.ts'
import { API_CLIENT_ROLE, originOf } from '../../shared/actor.ts'
import { recordAuditEvent } from '../../shared/audit-events.ts'
import { childrenApiRoutes } from './children.routes.ts'
import { circumstancesApiRoutes } from './circumstances.routes.ts'
import { clientsRoutes } from './clients.routes.ts'
import { webhooksRoutes } from './webhooks.routes.ts'
import type { HostLookup } from './webhook.client.ts'
import type { MfaKeyring } from '../../shared/secrets.ts'
import { authenticate } from './clients.service.ts'
import { docsRoutes } from './docs.routes.ts'
import { eventsApiRoutes } from './events.routes.ts'
import { pepsApiRoutes } from './peps.routes.ts'
import { pdfApiRoutes } from './pdf.routes.ts'
import { API_PREFIX, ApiOperations } from '../../shared/api/operation.ts'
import { httpProblem, sendProblem } from '../../shared/api/problem.ts'

/*
 * The API for case management systems (issue 22, ADR 12), and the pages where a Virtual School
 * administrator registers its clients. `/api/v1` is its own Fastify scope: JSON in and out,
 * problem details for every error (its own error and not-found handlers), no session and no
 * CSRF (plugins/session.ts and plugins/access.ts leave routes with an `api` access rule alone),
 * a client's bearer secret proven before anything else, and a rate limit per client.
 */

/** Calls allowed per client in each window; the counts are in the database (all processes). */
export interface ApiRateLimit {
  max: number
  timeWindowMs: number
}

export const DEFAULT_API_RATE_LIMIT: ApiRateLimit = { max: 600, timeWindowMs: 60_000 }

export interface ApiOptions {
  db: Database
  clock: Clock
  baseUrl: string
  rateLimit?: ApiRateLimit
  /** Seals the webhooks' signing secrets (MFA_ENCRYPTION_KEYS). */
  keyring: MfaKeyring
  /** Webhooks may call http://127.0.0.1 (tests, development). */
  webhookLoopbackHttp: boolean
  /** Resolves webhook hosts (the system resolver unless a test gives one). */
  webhookLookup?: HostLookup
}

export const apiRoutes: FastifyPluginAsync<ApiOptions> = async (app, options) => {
  await app.register(clientsRoutes, { db: options.db, clock: options.clock })
  await app.register(webhooksRoutes, {
    db: options.db,
    clock: options.clock,
    keyring: options.keyring,
    loopbackHttp: options.webhookLoopbackHttp,
    ...(options.webhookLookup ? { lookup: options.webhookLookup } : {}),
  })
  await app.register(apiV1, { ...options, prefix: API_PREFIX })
}

const TOO_MANY = 'OPENPEP_API_RATE_LIMITED'

const apiV1: FastifyPluginAsync<ApiOptions> = async (
  app,
  { db, clock, baseUrl, rateLimit: limit },
) => {
  app.decorateRequest('apiClient', null)

  async function refuse(
    request: FastifyRequest,
    reason: string,
    extra: { clientId?: string; authorityId?: string; scope?: ApiScope } = {},
  ) {
    const origin = originOf(request)
    await recordAuditEvent(db, {
      occurredAt: clock.now(),
      userId: null,
      apiClientId: extra.clientId ?? request.apiClient?.id ?? null,
      actingRole: API_CLIENT_ROLE,
      authorityId: extra.authorityId ?? request.apiClient?.authorityId ?? null,
      action: 'api.refused',
      outcome: 'denied',
      method: origin.method,
      path: origin.path,
      ip: origin.ip,
      userAgent: origin.userAgent,
      requestId: origin.requestId,
      details: { reason, ...(extra.scope ? { scope: extra.scope } : {}) },
    })
  }

  // Who is calling: before the rate limit (which counts per client) and anything else.
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config?.access
    if (!access || !('api' in access)) return
    const header = request.headers.authorization ?? ''
    const match = /^Bearer +([^\s]+)\s*$/i.exec(header)
    if (!match) {
      await refuse(request, 'no-secret')
      reply.header('www-authenticate', 'Bearer realm="OpenPEP"')
      return sendProblem(reply, httpProblem(401, 'Send the client secret as a bearer token'))
    }
    const found = await authenticate(db, match[1]!, clock.now())
    if (found.kind !== 'client') {
      await refuse(
        request,
        found.kind === 'revoked' ? 'revoked' : 'unknown-secret',
        found.kind === 'revoked'
          ? { clientId: found.clientId, authorityId: found.authorityId }
          : {},
      )
      reply.header('www-authenticate', 'Bearer realm="OpenPEP", error="invalid_token"')
      return sendProblem(
        reply,
        httpProblem(401, 'The secret is not known, or the client was revoked'),
      )
    }
    request.apiClient = found.client
  })

  const { max, timeWindowMs } = limit ?? DEFAULT_API_RATE_LIMIT
  await app.register(rateLimit, {
    global: true,
    max,
    timeWindow: timeWindowMs,
    store: postgresRateLimitStore(db, clock),
    // Public routes (the document) are counted by address, clients by their id.
    keyGenerator: (request) =>
      request.apiClient ? `api-client:${request.apiClient.id}` : `api-ip:${request.ip}`,
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error('Too many requests'), {
        statusCode: 429,
        code: TOO_MANY,
        retryAfterMs: context.ttl,
      }),
  })

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.code === TOO_MANY)
      return sendProblem(
        reply,
        httpProblem(429, `Over this client's limit of ${max} calls a minute: try again later`),
      )
    const status = error.statusCode ?? 500
    if (status >= 500) {
      request.log.error({ err: error }, 'API request failed')
      return sendProblem(reply, httpProblem(500, `Something went wrong: request ${request.id}`))
    }
    // The framework's refusals (a body that is not JSON, too large, a content type not read).
    return sendProblem(reply, httpProblem(status, error.message))
  })
  app.setNotFoundHandler((_request, reply) =>
    sendProblem(reply, httpProblem(404, 'There is no such operation')),
  )

  const operations = new ApiOperations(app, clock, (request, reason, scope) =>
    refuse(request, reason, { scope }),
  )
  childrenApiRoutes(operations, { db })
  eventsApiRoutes(operations, { db })
  circumstancesApiRoutes(operations, { db })
  pepsApiRoutes(operations, { db })
  pdfApiRoutes(operations, { db })
  docsRoutes(operations, { baseUrl })
}
