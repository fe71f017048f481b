import { existsSync } from 'node:fs'
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserServer,
  type LaunchOptions,
  type Page,
} from 'playwright-core'
import { AxeBuilder } from '@axe-core/playwright'
import { expect, inject } from 'vitest'

/** The run's shared Chromium (e2e/support/global-setup.ts), by its WebSocket address. */
export const BROWSER_KEY = 'openpepBrowser'

declare module 'vitest' {
  export interface ProvidedContext {
    [BROWSER_KEY]: string | undefined
  }
}

/** Debian's Chromium, or the one CHROMIUM_PATH names. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const hasChromium = existsSync(chromiumPath)

if (!hasChromium) {
  const message = `Chromium not found at ${chromiumPath}: install Debian's "chromium" package or set CHROMIUM_PATH.`
  // In CI a missing browser is a failure, never a quiet skip.
  if (process.env.CI === 'true') throw new Error(message)
  console.error(`\n${'!'.repeat(80)}\n!! BROWSER TESTS SKIPPED: ${message}\n${'!'.repeat(80)}\n`)
}

const LAUNCH: LaunchOptions = {
  executablePath: chromiumPath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
}

/** Started once per run by the global setup. */
export function launchBrowserServer(): Promise<BrowserServer> {
  return chromium.launchServer(LAUNCH)
}

/**
 * The run's shared Chromium when there is one (closing it then only disconnects this file),
 * otherwise a Chromium of this file's own.
 */
export async function launchBrowser(): Promise<Browser> {
  const shared = inject(BROWSER_KEY)
  if (shared) return chromium.connect(shared)
  return chromium.launch(LAUNCH)
}

export async function newContext(
  browser: Browser,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<BrowserContext> {
  return browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true })
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/** Fails the test on any WCAG 2.2 AA violation axe finds on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
  const violations = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }))
  expect(violations, `axe violations on ${page.url()}`).toEqual([])
}
