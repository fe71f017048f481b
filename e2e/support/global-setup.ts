import type { TestProject } from 'vitest/node'
import { BROWSER_KEY, hasChromium, launchBrowserServer } from './browser.ts'

/**
 * Once per run of the browser tests: one Chromium that every test file connects to, instead of
 * starting its own (each test still gets a fresh browser context: no cookies or storage shared).
 */
export default async function setup(project: TestProject) {
  if (!hasChromium) return
  const server = await launchBrowserServer()
  project.provide(BROWSER_KEY, server.wsEndpoint())
  return () => server.close()
}
