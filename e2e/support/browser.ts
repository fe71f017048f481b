import { existsSync } from 'node:fs'
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserServer,
  type LaunchOptions,
  type Page,
} from 'playwright-core'
import { expect, inject } from 'vitest'
import { AXE_CORE_PATH } from './axe-core.ts'

/** The run's shared Chromium (e2e/support/global-setup.ts), by its WebSocket address. */
export const BROWSER_KEY = 'openpepBrowser'

declare module 'vitest' {
  export interface ProvidedContext {
    [BROWSER_KEY]: string | undefined
  }
}

/**
 * The one CHROMIUM_PATH names, or Debian's Chromium headless shell (package
 * `chromium-headless-shell`: the same Blink without the browser's UI, which is what Playwright
 * itself runs for `headless: true` when it downloads its browsers), or Debian's full Chromium.
 * The shell took 30-40% less CPU on the same journeys (pep-lifecycle: 44-46 s of CPU against
 * 58-72 s, attendance-journey 20 s against 35 s: README, Tests).
 */
export const chromiumPath =
  process.env.CHROMIUM_PATH ??
  ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((path) => existsSync(path)) ??
  '/usr/bin/chromium'
export const hasChromium = existsSync(chromiumPath)

if (!hasChromium) {
  const message = `Chromium not found at ${chromiumPath}: install Debian's "chromium-headless-shell" (or "chromium") package or set CHROMIUM_PATH.`
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

/** What the check reads of axe's results. */
interface AxeResults {
  violations: {
    id: string
    impact?: string | null
    help: string
    nodes: { target: unknown[] }[]
  }[]
}

/**
 * axe run on the page as it is now, every rule of the WCAG 2.2 AA tags, as `@axe-core/playwright`'s
 * AxeBuilder ran it, without its costs: AxeBuilder sent the whole unminified axe-core (1.5 MB) to
 * the page twice a check and then opened a blank page in the context, sent it axe-core again and
 * finished the run there (its way through cross-origin frames; OpenPEP's pages have no frames).
 * Here axe-core goes to a page once per document loaded (its minified build) and runs where it
 * is, with the same rules: on a page with four kinds of violation, the same violations,
 * passes and incomplete checks as AxeBuilder. On a page like My work's list, Chromium's CPU was
 * 4.6 s a check before and 1.8 s after (its processes' /proc stat, under load).
 *
 * `resultTypes: ['violations']`: axe still runs every rule on every element, but builds the full
 * node details (the CSS selector of each node, its HTML) only for violations, keeping one node
 * of each passed, incomplete or inapplicable rule, which this check never reads. On a page with
 * eleven kinds of violation the violations (ids, impacts, targets, HTML, failure summaries) were
 * the same with and without it; the renderer's CPU for a check fell from 0.41 s to 0.29 s on
 * My work and from 0.11 s to 0.05 s on the children list (load 24).
 */
async function runAxe(page: Page): Promise<AxeResults> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await loadAxe(page)
  return page.evaluate(
    (tags) =>
      (
        window as unknown as {
          axe: { run(context: Document, options: object): Promise<AxeResults> }
        }
      ).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    WCAG_TAGS,
  )
}

/**
 * axe-core into the page as a script from the app's origin (AXE_CORE_PATH), which the browser
 * caches and compiles once per context, rather than its 0.65 MB sent through Playwright and the
 * DevTools protocol and evaluated afresh for every check: that took about 210 ms of CPU a check
 * (the renderer 125, the browser process 64, Playwright 17; README, Tests). axe cannot run where
 * the context runs no scripts (`javaScriptEnabled: false`): its timers never fire and the check
 * would wait for ever, so such a page fails at once. (Such a document parses <noscript> content
 * as elements.)
 */
async function loadAxe(page: Page): Promise<void> {
  const scripting = await page.evaluate(() => {
    const probe = document.createElement('div')
    probe.innerHTML = '<noscript><i></i></noscript>'
    return probe.querySelector('i') === null
  })
  if (!scripting)
    throw new Error(
      `axe cannot check ${page.url()}: its context runs no scripts. Check the page in a context with JavaScript.`,
    )
  await page.addScriptTag({ url: AXE_CORE_PATH }).catch((err: unknown) => {
    throw new Error(
      `axe-core did not load from ${AXE_CORE_PATH} on ${page.url()}: a browser test that starts its own app must serve it (createTestApp({ testRoutes: serveAxeCore }), e2e/support/server.ts).`,
      { cause: err },
    )
  })
}

/** Fails the test on any WCAG 2.2 AA violation axe finds on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await runAxe(page)
  const violations = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }))
  expect(violations, `axe violations on ${page.url()}`).toEqual([])
}
