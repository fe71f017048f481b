import { createHash } from 'node:crypto'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/*
 * Builds ./public (served at /assets): the Sass compiled with the design system, the little
 * JavaScript there is, and images. Skips the work when nothing it reads has changed, so
 * `npm start` stays fast after the first run: src/main.ts calls it in the server's own process
 * (a process of its own cost a tenth of a start), `npm run build:assets` runs this file.
 */
const root = fileURLToPath(new URL('../', import.meta.url))
const out = join(root, 'public')
const inputs = [join(root, 'assets'), join(root, 'package-lock.json')]

function fingerprint(): string {
  const hash = createHash('sha256')
  const walk = (path: string) => {
    const stat = statSync(path)
    if (stat.isDirectory()) for (const entry of readdirSync(path).sort()) walk(join(path, entry))
    else hash.update(path).update(readFileSync(path))
  }
  inputs.forEach(walk)
  return hash.digest('hex')
}

/** Builds what has changed (everything with `force`). */
export async function buildAssets({ force = false } = {}): Promise<void> {
  // The templates, compiled (src/views/precompiled.ts); itself skipped when none has changed.
  const { precompileViews } = await import('../src/views/precompiled.ts')
  const views = precompileViews(undefined, { force })
  if (views > 0) console.log(`Compiled ${views} templates`)

  const stamp = join(out, '.fingerprint')
  const current = fingerprint()
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === current && !force) return

  mkdirSync(join(out, 'govuk'), { recursive: true })
  mkdirSync(join(out, 'images'), { recursive: true })
  // Loaded only when there is something to build: sass takes a while to load.
  const sass = await import('sass')
  const css = sass.compile(join(root, 'assets/scss/application.scss'), {
    loadPaths: [root, join(root, 'node_modules')],
    style: 'compressed',
    // The design system's own deprecation notices are for its maintainers, not for this build.
    logger: sass.Logger.silent,
  })
  writeFileSync(join(out, 'application.css'), css.css)
  copyFileSync(join(root, 'assets/js/application.js'), join(out, 'application.js'))
  copyFileSync(
    join(root, 'node_modules/govuk-frontend/dist/govuk/all.bundle.mjs'),
    join(out, 'govuk/govuk-frontend.mjs'),
  )
  copyFileSync(join(root, 'assets/favicon.svg'), join(out, 'images/favicon.svg'))
  // The young person's pictures (Twemoji, CC BY 4.0), with their licence (assets/symbols/LICENCE.md).
  cpSync(join(root, 'assets/symbols'), join(out, 'images/symbols'), { recursive: true })
  writeFileSync(stamp, current)
  console.log('Built the styles and scripts in ./public')
}

if (import.meta.main) await buildAssets({ force: process.argv.includes('--force') })
