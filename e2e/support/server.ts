import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import { createTestApp, type TestContext } from '../../src/testing/app.ts'
import { AXE_CORE_PATH, axeCoreSource } from './axe-core.ts'

export interface RunningApp extends TestContext {
  baseUrl: string
}

/**
 * axe-core's minified build served beside the app's pages, cacheable, for the accessibility
 * checks (e2e/support/browser.ts): every app a browser test starts serves it
 * (`createTestApp({ testRoutes: serveAxeCore })`).
 */
export function serveAxeCore(app: FastifyInstance): void {
  app.get(
    AXE_CORE_PATH,
    { config: { access: { public: true }, audit: 'none' } },
    async (_request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=86400, immutable')
        .send(axeCoreSource()),
  )
}

/**
 * The real app with the demo seeded (a copy of the run's seeded template, as the app project's
 * files have it: src/testing/database.ts), listening on a free local port for the browser.
 */
export async function startApp(): Promise<RunningApp> {
  const context = await createTestApp({ demo: true, seed: 'demo', testRoutes: serveAxeCore })
  await (context.app as FastifyInstance).listen({ port: 0, host: '127.0.0.1' })
  const { port } = context.app.server.address() as AddressInfo
  return { ...context, baseUrl: `http://127.0.0.1:${port}` }
}
