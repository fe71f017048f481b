import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createViewEnvironment } from '../plugins/views.ts'
import { precompileViews, VIEW_PATHS } from './precompiled.ts'

/*
 * Templates compiled at build time render exactly as the same templates compiled from their
 * files, and a template whose source changed after the build is read from its file again.
 */

const dir = mkdtempSync(join(tmpdir(), 'openpep-views-'))
const built = join(dir, 'views.cjs')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** What every page gets from reply.render (plugins/views.ts), with nobody signed in. */
const context = {
  serviceName: 'OpenPEP',
  demoNotice: false,
  sessionIdleSeconds: 1800,
  cspNonce: 'nonce',
  csrfToken: () => 'token',
  currentUser: null,
  navigation: [],
  flash: { success: [], info: [] },
  pageTitle: 'A page',
  errors: {},
  values: {},
}

/** Every template of the app's own (its pages and partials). */
function appTemplates(): string[] {
  const names: string[] = []
  for (const base of VIEW_PATHS.slice(0, 2)) {
    const walk = (at: string) => {
      for (const entry of readdirSync(at, { withFileTypes: true })) {
        const path = join(at, entry.name)
        if (entry.isDirectory()) walk(path)
        else if (entry.name.endsWith('.njk')) names.push(relative(base, path).split(sep).join('/'))
      }
    }
    walk(base)
  }
  return names
}

/** Where a template came from: its name from the build, its full path from a file. */
const pathOf = (env: ReturnType<typeof createViewEnvironment>, name: string) =>
  (env.getTemplate(name) as unknown as { path: string }).path

function render(env: ReturnType<typeof createViewEnvironment>, name: string): string {
  try {
    return env.render(name, context)
  } catch {
    // Some need a model this context lacks: then both must fail alike.
    return '(cannot render without its model)'
  }
}

describe('templates compiled at build time', () => {
  it('render every page and partial exactly as compiling them from their files does', () => {
    expect(precompileViews(undefined, { to: built, force: true })).toBeGreaterThan(200)
    const fromBuild = createViewEnvironment({ watch: false, precompiled: built })
    const fromFiles = createViewEnvironment({ watch: false, precompiled: null })
    const names = appTemplates()
    expect(names.length).toBeGreaterThan(80)
    let rendered = 0
    for (const name of names) {
      const html = render(fromFiles, name)
      expect(render(fromBuild, name), name).toBe(html)
      if (!html.startsWith('(cannot')) rendered++
    }
    // Most render with the layout's context alone, the design system's macros included.
    expect(rendered).toBeGreaterThan(names.length / 2)
    // They came from the build: a template from a file is named by its full path.
    expect(pathOf(fromBuild, 'pages/404.njk')).toBe('pages/404.njk')
    expect(pathOf(fromFiles, 'pages/404.njk')).toBe(join(VIEW_PATHS[0]!, 'pages/404.njk'))
  })

  it('reads a template from its file when its source no longer matches the build', () => {
    precompileViews(undefined, { to: built, force: true })
    // As if pages/404.njk had been edited after the build: its recorded hash no longer matches.
    const code = readFileSync(built, 'utf8')
    const at = code.indexOf('"pages/404.njk": {')
    const stale = code.slice(0, at) + code.slice(at).replace(/hash: "[0-9a-f]+"/, 'hash: "edited"')
    const staleBuild = join(dir, 'stale.cjs')
    writeFileSync(staleBuild, stale)
    const env = createViewEnvironment({ watch: false, precompiled: staleBuild })
    expect(pathOf(env, 'pages/404.njk')).toBe(join(VIEW_PATHS[0]!, 'pages/404.njk'))
    expect(pathOf(env, 'pages/403.njk')).toBe('pages/403.njk')
  })

  it('is not rebuilt when no template has changed', () => {
    precompileViews(undefined, { to: built, force: true })
    expect(precompileViews(undefined, { to: built })).toBe(0)
  })
})
