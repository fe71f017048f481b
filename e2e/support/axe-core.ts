import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/**
 * Where the browser tests' app serves axe-core (e2e/support/server.ts). From the app's own origin
 * the pages' Content-Security-Policy (`script-src 'self'`) lets it load as a script.
 */
export const AXE_CORE_PATH = '/__e2e/axe-core.min.js'

/** axe-core's minified build (the version @axe-core/playwright depends on), read once per worker. */
let source: string | undefined
export function axeCoreSource(): string {
  const fromAxePlaywright = createRequire(
    createRequire(import.meta.url).resolve('@axe-core/playwright'),
  )
  source ??= readFileSync(fromAxePlaywright.resolve('axe-core/axe.min.js'), 'utf8')
  return source
}
