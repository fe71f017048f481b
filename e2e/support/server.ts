import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import { createTestApp, type TestContext } from '../../src/testing/app.ts'

export interface RunningApp extends TestContext {
  baseUrl: string
}

/**
 * The real app with the demo seeded (a copy of the run's seeded template, as the app project's
 * files have it: src/testing/database.ts), listening on a free local port for the browser.
 */
export async function startApp(): Promise<RunningApp> {
  const context = await createTestApp({ demo: true, seed: 'demo' })
  await (context.app as FastifyInstance).listen({ port: 0, host: '127.0.0.1' })
  const { port } = context.app.server.address() as AddressInfo
  return { ...context, baseUrl: `http://127.0.0.1:${port}` }
}
