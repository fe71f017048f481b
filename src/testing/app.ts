import type { FastifyInstance } from 'fastify'
import { buildApp } from '../app.ts'
import { loadConfig, type Config } from '../config.ts'
import type { DatabaseHandle } from '../db/connection.ts'
import { fixedClock } from '../domain/clock.ts'
import type { HostLookup } from '../features/api/webhook.client.ts'
import { TEST_NOW } from './clock.ts'
import { createTestDatabase } from './database.ts'

export type TestClock = ReturnType<typeof fixedClock>

export interface TestContext {
  app: FastifyInstance
  database: DatabaseHandle
  clock: TestClock
  config: Config
  close(): Promise<void>
}

export { TEST_NOW } from './clock.ts'

/** What a test may ask of its app. */
export interface TestAppOptions {
  env?: Record<string, string>
  demo?: boolean
  /** On the server the app connects as its own role; 'owner' for a set-up that alters tables. */
  databaseAs?: 'app' | 'owner'
  /** 'demo': the demo already seeded on TEST_NOW (a copy of the run's seeded template). */
  seed?: 'demo'
  /** Calls allowed per API client in each window (the API's rate limit test). */
  apiRateLimit?: { max: number; timeWindowMs: number }
  /** Resolves webhook hosts instead of the system resolver. */
  webhookLookup?: HostLookup
  /** Routes a test's own tooling serves beside the app's, added before it is ready. */
  testRoutes?: (app: FastifyInstance) => void
}

/** The real app on a fresh database, with a clock the test controls. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestContext> {
  const database = await createTestDatabase({
    as: options.databaseAs ?? 'app',
    ...(options.seed ? { seed: options.seed } : {}),
  })
  const clock = fixedClock(TEST_NOW)
  const config = loadConfig({ NODE_ENV: 'test', ...options.env })
  const app = await buildApp({
    config,
    db: database.db,
    clock,
    demo: options.demo ?? false,
    ...(options.apiRateLimit ? { apiRateLimit: options.apiRateLimit } : {}),
    ...(options.webhookLookup ? { webhookLookup: options.webhookLookup } : {}),
  })
  options.testRoutes?.(app)
  await app.ready()
  return {
    app,
    database,
    clock,
    config,
    async close() {
      await app.close()
      await database.close()
    },
  }
}
