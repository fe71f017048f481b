import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, posix, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import nunjucks from 'nunjucks'

/*
 * Templates compiled at build time (`npm run build:assets`, which `npm start` and `npm test`
 * run), so a new process renders its first pages without parsing and compiling the layout, the
 * design system's macros and the page (what each test file, and the first page after a start,
 * paid). The build writes each template's compiled code with a hash of its source; at run time a
 * template is taken from the build only while its source still has that hash, so an edited
 * template is never served stale: it is read and compiled from its file, as before.
 */

const root = fileURLToPath(new URL('../../', import.meta.url))

/** Where templates are looked up, in order: the first holding a name wins. */
export const VIEW_PATHS = [
  `${root}src/views`,
  `${root}src/features`,
  `${root}node_modules/govuk-frontend/dist`,
  `${root}node_modules/@ministryofjustice/frontend`,
]

/** The build's output: a CommonJS module, required synchronously when the views are made. */
export const PRECOMPILED_VIEWS = `${root}node_modules/.cache/openpep/views.cjs`

/** The environment's options, which the build compiles templates with too. */
export const VIEW_OPTIONS = { autoescape: true, throwOnUndefined: false }

interface CompiledEntry {
  /** The source, from the project's root. */
  file: string
  hash: string
  load(): Record<string, unknown>
}

const hashOf = (source: Buffer | string) => createHash('sha256').update(source).digest('hex')

/** Every template name under the search paths, with its file (the first path holding it wins). */
function templateFiles(): Map<string, string> {
  const found = new Map<string, string>()
  for (const base of VIEW_PATHS) {
    if (!existsSync(base)) continue
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) walk(path)
        else if (entry.name.endsWith('.njk')) {
          const name = relative(base, path).split(sep).join('/')
          if (!found.has(name)) found.set(name, path)
        }
      }
    }
    walk(base)
  }
  return found
}

/** Nunjucks' compiler (not in its type definitions): a template's source to its code. */
const compiler = (
  nunjucks as unknown as {
    compiler: {
      compile(
        source: string,
        asyncFilters: string[],
        extensions: unknown[],
        name: string,
        options: object,
      ): string
    }
  }
).compiler

/**
 * Compiles every template into PRECOMPILED_VIEWS, unless no template has changed since the last
 * build; returns how many it compiled. The code is what Nunjucks itself compiles on first use,
 * with the environment's options (plugins/views.ts).
 */
export function precompileViews(
  options: object = VIEW_OPTIONS,
  { force = false, to = PRECOMPILED_VIEWS }: { force?: boolean; to?: string } = {},
): number {
  const files = templateFiles()
  const sources = new Map([...files].map(([name, file]) => [name, readFileSync(file, 'utf8')]))
  const fingerprint = hashOf(
    JSON.stringify([options, [...files].map(([name, file]) => [name, file, sources.get(name)])]),
  )
  const stamp = `${to}.fingerprint`
  if (!force && existsSync(to) && existsSync(stamp))
    if (readFileSync(stamp, 'utf8') === fingerprint) return 0
  const parts: string[] = []
  for (const [name, file] of files) {
    const source = sources.get(name)!
    const code = compiler.compile(source, [], [], name, options)
    parts.push(
      `${JSON.stringify(name)}: { file: ${JSON.stringify(relative(root, file).split(sep).join('/'))}, hash: ${JSON.stringify(hashOf(source))}, load: function () {\n${code}\n} }`,
    )
  }
  mkdirSync(dirname(to), { recursive: true })
  writeFileSync(
    to,
    `// Built by scripts/build-assets.ts (src/views/precompiled.ts): do not edit.\nmodule.exports = {\n${parts.join(',\n')}\n}\n`,
  )
  writeFileSync(stamp, fingerprint)
  return files.size
}

/**
 * A loader serving templates from the build while their sources are unchanged; null when there
 * is no build. Put before the file-system loader, which serves anything it does not.
 */
export function precompiledLoader(from = PRECOMPILED_VIEWS): nunjucks.ILoader | null {
  if (!existsSync(from)) return null
  const compiled = createRequire(import.meta.url)(from) as Record<string, CompiledEntry>
  return {
    getSource(name: string) {
      const entry = compiled[name]
      // The file the file-system loader would read: the built code only while it is that
      // file's, unchanged.
      const file = entry && VIEW_PATHS.map((base) => join(base, name)).find(existsSync)
      if (!entry || file !== join(root, entry.file) || hashOf(readFileSync(file)) !== entry.hash)
        return null as unknown as nunjucks.LoaderSource
      return {
        src: { type: 'code', obj: entry.load() },
        path: name,
        noCache: false,
      } as unknown as nunjucks.LoaderSource
    },
    // Names relative to another template's ("./template.njk" in the design system's macros).
    isRelative: (name: string) => name.startsWith('./') || name.startsWith('../'),
    resolve: (from: string, to: string) => posix.join(posix.dirname(from), to),
  } as nunjucks.ILoader
}
