import Fastify, { type FastifyInstance } from 'fastify'
import formbody from '@fastify/formbody'
import fastifyStatic from '@fastify/static'
import { fileURLToPath } from 'node:url'
import { randomUUID } from 'node:crypto'
import type { Config } from './config.ts'
import type { Database } from './db/connection.ts'
import type { Clock } from './domain/clock.ts'
import { securityPlugin } from './plugins/security.ts'
import { sessionPlugin } from './plugins/session.ts'
import { viewsPlugin } from './plugins/views.ts'
import { accessPlugin } from './plugins/access.ts'
import { unsavedFormsPlugin } from './plugins/unsaved-forms.ts'
import {
  clientErrorPage,
  errorsPlugin,
  frameworkErrorPage,
  routeMalformedUrls,
} from './plugins/errors.ts'
import { loggerOptions } from './plugins/logging.ts'
import { healthRoutes } from './features/health/routes.ts'
import { authRoutes } from './features/auth/routes.ts'
import { accountRoutes } from './features/account/routes.ts'
import type { AttemptLimit } from './shared/throttle.ts'
import { homeRoutes } from './features/home/routes.ts'
import { trayCountPlugin, traysRoutes } from './features/trays/routes.ts'
import { childrenRoutes } from './features/children/routes.ts'
import { dataRightsRoutes } from './features/data-rights/routes.ts'
import { childAdminRoutes } from './features/child-admin/routes.ts'
import { schoolsRoutes } from './features/schools/routes.ts'
import { devMailboxRoutes } from './features/dev-mailbox/routes.ts'
import { adminRoutes } from './features/admin/routes.ts'
import { auditRoutes } from './features/audit/routes.ts'
import { pepsRoutes } from './features/peps/routes.ts'
import { oversightRoutes } from './features/oversight/routes.ts'
import { formSettingsRoutes } from './features/form-settings/routes.ts'
import { authoritySettingsRoutes } from './features/authority-settings/routes.ts'
import { scheduledWorkRoutes } from './features/authority-settings/scheduled-work.routes.ts'
import { educationRoutes } from './features/attendance/routes.ts'
import { fundingRoutes } from './features/funding/routes.ts'
import { youngPersonRoutes } from './features/young-person/routes.ts'
import { youngPersonOwnPages } from './features/young-person/own-pages.routes.ts'
import { carerRoutes } from './features/carer/routes.ts'
import { ssoRoutes } from './features/sso/routes.ts'
import { apiRoutes, type ApiRateLimit } from './features/api/routes.ts'
import type { HostLookup } from './features/api/webhook.client.ts'

export interface AppDeps {
  config: Config
  db: Database
  clock: Clock
  /** True when the database holds the seeded demo, so pages can say so. */
  demo?: boolean
  /** Per-IP limit on sign-in and account email posts; default 20 a minute (1,000 under test). */
  attemptLimit?: AttemptLimit
  /** Where the log goes instead of stdout, for a test that reads it. */
  logStream?: { write(line: string): void }
  /** Calls allowed per API client in each window; default 600 a minute. */
  apiRateLimit?: ApiRateLimit
  /** Resolves webhook hosts; the system resolver unless a test gives one. */
  webhookLookup?: HostLookup
}

export const SERVICE_NAME = 'OpenPEP'
const IDLE_TIMEOUT_MS = 30 * 60_000
const publicDir = fileURLToPath(new URL('../public/', import.meta.url))

/** Builds the whole app: cross-cutting plugins first, then each feature's routes. Tests use it too. */
export async function buildApp({
  config,
  db,
  clock,
  demo = false,
  attemptLimit,
  logStream,
  apiRateLimit,
  webhookLookup,
}: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config, logStream),
    genReqId: (request) => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID()
    },
    // A hop count trusts the nearest n addresses, as Fastify does for a number.
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (config.trustProxy as number)
        : config.trustProxy,
    bodyLimit: 1_048_576,
    // The framework's own refusals are pages with the security headers too (plugins/errors.ts).
    rewriteUrl: routeMalformedUrls,
    frameworkErrors: frameworkErrorPage,
    clientErrorHandler: clientErrorPage,
    // Checking each route's schema against JSON Schema's own meta-schema means compiling the
    // meta-schema first, about a tenth of a start (README, Performance: start-up). The tests
    // build the app with every route, so a malformed schema still fails there.
    ajv: { customOptions: { validateSchema: config.env === 'test' } },
  })

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  await app.register(securityPlugin)
  await app.register(formbody)
  await app.register(fastifyStatic, {
    root: publicDir,
    prefix: '/assets/',
    maxAge: '1h',
    // A response from here never carries a child's data, so it may be cached.
    cacheControl: true,
  })
  await app.register(sessionPlugin, {
    db,
    clock,
    secret: config.sessionSecret,
    secureCookies: config.secureCookies,
    idleMs: IDLE_TIMEOUT_MS,
  })
  await app.register(viewsPlugin, {
    serviceName: SERVICE_NAME,
    watch: config.env === 'development',
    demo,
    sessionIdleSeconds: IDLE_TIMEOUT_MS / 1000,
  })
  await app.register(accessPlugin, { db, clock })
  // After the access check: a young person asking for a staff page is sent to their own.
  await app.register(youngPersonOwnPages, { db })
  await app.register(unsavedFormsPlugin, { db, clock, secureCookies: config.secureCookies })
  await app.register(errorsPlugin)
  // Before the feature routes, so every page's header has the tray count.
  await app.register(trayCountPlugin, { db })

  await app.register(healthRoutes, { db })
  // Tests sign in many times from one address; they set their own limit to test the limit.
  attemptLimit ??= config.env === 'test' ? { max: 1000, timeWindowMs: 60_000 } : undefined
  await app.register(authRoutes, { db, clock, attemptLimit, mfaKeys: config.mfaKeys })
  await app.register(ssoRoutes, { db, clock, baseUrl: config.baseUrl, mfaKeys: config.mfaKeys })
  await app.register(accountRoutes, { db, clock, baseUrl: config.baseUrl, attemptLimit })
  await app.register(homeRoutes, { db, clock })
  await app.register(traysRoutes, { db, clock })
  await app.register(childrenRoutes, { db, clock, baseUrl: config.baseUrl })
  await app.register(childAdminRoutes, { db, clock })
  await app.register(educationRoutes, { db, clock })
  await app.register(pepsRoutes, { db, clock, baseUrl: config.baseUrl })
  await app.register(oversightRoutes, { db, clock, baseUrl: config.baseUrl })
  await app.register(formSettingsRoutes, { db, clock })
  await app.register(authoritySettingsRoutes, { db, clock })
  await app.register(scheduledWorkRoutes, { db, clock })
  await app.register(fundingRoutes, { db, clock })
  await app.register(dataRightsRoutes, { db, clock })
  await app.register(youngPersonRoutes, { db, clock, baseUrl: config.baseUrl })
  await app.register(carerRoutes, { db, clock, baseUrl: config.baseUrl })
  await app.register(apiRoutes, {
    db,
    clock,
    baseUrl: config.baseUrl,
    keyring: config.mfaKeys,
    webhookLoopbackHttp: config.webhookLoopbackHttp,
    ...(webhookLookup ? { webhookLookup } : {}),
    ...(apiRateLimit ? { rateLimit: apiRateLimit } : {}),
  })
  await app.register(schoolsRoutes, { db, clock })
  await app.register(adminRoutes, { db, clock, baseUrl: config.baseUrl })
  await app.register(auditRoutes, { db })
  // Never in production: the mailbox would hold real people's email.
  if (!config.smtpUrl && config.env !== 'production')
    await app.register(devMailboxRoutes, { db, demo })

  return app
}
