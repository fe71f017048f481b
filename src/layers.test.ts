import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/*
 * The layers of ADR 7, as the linter keeps them (eslint.config.js): each rule is shown to fail on
 * a violation and to pass what is allowed, by linting a line of code as if it were in a file of
 * the tree. `npm run lint` then keeps the whole codebase to them.
 */

const eslint = new ESLint({ cwd: fileURLToPath(new URL('../', import.meta.url)) })

/** The messages of the import rule for `code` linted as the file at `filePath`. */
async function importProblems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = x\n`, { filePath })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message)
}

describe('src/domain and src/forms import no plugin or feature', () => {
  it.each([
    ['src/domain/new-rule.ts', "import { x } from '../plugins/access.ts'"],
    ['src/domain/new-rule.ts', "import type { x } from '../features/peps/peps.service.ts'"],
    ['src/forms/new-form.ts', "import { x } from '../features/children/child-form.ts'"],
    ['src/forms/templates/new-template.ts', "import { x } from '../../plugins/access.ts'"],
    ['src/domain/new-rule.ts', "import { x } from 'fastify'"],
  ])('%s: %s is refused', async (filePath, code) => {
    const problems = await importProblems(filePath, code)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/know nothing of the web|import no plugin or feature/)
  })

  it.each([
    ['src/domain/new-rule.ts', "import { x } from './calendar-date.ts'"],
    ['src/domain/new-rule.ts', "import { x } from '../shared/result.ts'"],
    ['src/forms/new-form.ts', "import { x } from './validation.ts'"],
    ['src/forms/templates/new-template.ts', "import { x } from '../../domain/roles.ts'"],
  ])('%s: %s is allowed', async (filePath, code) => {
    expect(await importProblems(filePath, code)).toEqual([])
  })
})

describe('src/shared imports no feature', () => {
  it.each([
    ['src/shared/new-read.ts', "import type { x } from '../features/audit/audit-log.schemas.ts'"],
    ['src/shared/new-read.ts', "import { x } from '../features/peps/peps.service.ts'"],
    [
      'src/shared/api/new-operation.ts',
      "import { x } from '../../features/api/clients.service.ts'",
    ],
  ])('%s: %s is refused', async (filePath, code) => {
    const problems = await importProblems(filePath, code)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('src/shared imports no feature')
  })

  it.each([
    ['src/shared/new-read.ts', "import { x } from './audit-log.ts'"],
    ['src/shared/new-read.ts', "import { x } from '../domain/audit.ts'"],
    ['src/shared/api/new-operation.ts', "import { x } from '../../db/connection.ts'"],
  ])('%s: %s is allowed', async (filePath, code) => {
    expect(await importProblems(filePath, code)).toEqual([])
  })
})

describe("no feature imports another feature's repository", () => {
  it.each([
    "import { x } from '../children/children.repository.ts'",
    "import type { x } from '../trays/trays.repository.ts'",
    "import { x } from '../../features/children/documents.repository.ts'",
    "import { x } from '../children/children.repository'",
  ])('%s is refused in src/features/peps', async (code) => {
    const problems = await importProblems('src/features/peps/new.service.ts', code)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain("No feature imports another feature's repository")
  })

  it.each([
    "import { x } from './peps.repository.ts'",
    "import { x } from '../children/documents.service.ts'",
    "import { x } from '../../shared/child-access.ts'",
    "import { x } from '../../db/connection.ts'",
  ])('%s is allowed in src/features/peps', async (code) => {
    expect(await importProblems('src/features/peps/new.service.ts', code)).toEqual([])
  })
})

describe('of another feature, a feature imports only its services, presenters, contexts, forms and session', () => {
  it.each([
    "import { x } from '../children/current-pep.query.ts'",
    "import { x } from '../trays/groups.ts'",
    "import type { x } from '../peps/page.routes.ts'",
    "import { x } from '../funding/funding.messages.ts'",
    "import { x } from '../../features/auth/mfa-secret.ts'",
    "import { x } from '../auth/sign-in-steps'",
  ])('%s is refused in src/features/home', async (code) => {
    const problems = await importProblems('src/features/home/new.routes.ts', code)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('Of another feature a feature imports only')
  })

  it.each([
    "import { x } from '../peps/peps.service.ts'",
    "import { x } from '../trays/trays.presenter.ts'",
    "import { x } from '../peps/pep-context.ts'",
    "import { x } from '../children/documents.form.ts'",
    "import { x } from '../auth/auth.schemas.ts'",
    "import { x } from '../auth/sign-in.session.ts'",
    "import { x } from './my-work.query.ts'",
    "import { x } from '../../shared/current-pep.ts'",
  ])('%s is allowed in src/features/home', async (code) => {
    expect(await importProblems('src/features/home/new.routes.ts', code)).toEqual([])
  })

  it("a repository is refused once, by the repository's own rule", async () => {
    const problems = await importProblems(
      'src/features/home/new.routes.ts',
      "import { x } from '../trays/trays.repository.ts'",
    )
    expect(problems).toEqual([
      expect.stringContaining("No feature imports another feature's repository"),
    ])
  })
})

/** The suffixes of ADR 7's table: every file in a feature folder is named by one of them. */
const FEATURE_FILE =
  /^(routes|[a-z0-9-]+\.(routes|service|repository|query|schemas|form|presenter|messages|pdf|client|session)|[a-z0-9-]+-context|[a-z0-9.-]+\.test)\.ts$/

describe('every file in a feature folder is named by a row of the table', () => {
  it('has no file outside the table', async () => {
    const features = new URL('./features/', import.meta.url)
    const names = (await readdir(features, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => `${e.parentPath.slice(fileURLToPath(features).length)}/${e.name}`)
    expect(names.length).toBeGreaterThan(100)
    expect(names.filter((n) => !FEATURE_FILE.test(n.split('/').pop()!))).toEqual([])
  })

  it.each(['groups.ts', 'mfa-secret.ts', 'pep-pdf.ts', 'api-testing.ts', 'Routes.ts'])(
    '%s would be refused',
    (name) => expect(FEATURE_FILE.test(name)).toBe(false),
  )
})

/** The files under src/ whose names end with `suffix`, as paths from src/. */
async function sourceFiles(suffix: string): Promise<string[]> {
  const src = new URL('./', import.meta.url)
  return (await readdir(src, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => `${e.parentPath.slice(fileURLToPath(src).length)}/${e.name}`.replace(/^\//, ''))
}

const read = (path: string) => readFile(new URL(`./${path}`, import.meta.url), 'utf8')

/** A template that names its own page: ADR 7 has titles come from the presenter. */
const SETS_PAGE_TITLE = /\{%-?\s*set\s+pageTitle\b/

/** An error page (src/views/pages) rendered by name, not through reply.errorPage and its title. */
const RENDERS_ERROR_PAGE = /pages\/(400|401|403|404|500|503|session-expired)\.njk/

describe('titles come from the presenter, not the template', () => {
  it('no template sets its own pageTitle', async () => {
    const templates = await sourceFiles('.njk')
    expect(templates.length).toBeGreaterThan(100)
    const setting = []
    for (const path of templates) if (SETS_PAGE_TITLE.test(await read(path))) setting.push(path)
    expect(setting).toEqual([])
  })

  it.each([
    '{% set pageTitle = "Page not found" %}',
    '{%- set pageTitle = email.subject -%}',
    '{% set  pageTitle="Sign in" %}',
  ])('%s would be refused', (line) => expect(SETS_PAGE_TITLE.test(line)).toBe(true))

  it.each(['{% set pageTitleHint = "x" %}', '<title>{{ pageTitle }}</title>'])(
    '%s is allowed',
    (line) => expect(SETS_PAGE_TITLE.test(line)).toBe(false),
  )

  it('no code renders an error page but through reply.errorPage, which gives it its title', async () => {
    const code = (await sourceFiles('.ts')).filter((p) => !p.endsWith('.test.ts'))
    expect(code.length).toBeGreaterThan(100)
    const rendering = []
    for (const path of code) if (RENDERS_ERROR_PAGE.test(await read(path))) rendering.push(path)
    expect(rendering).toEqual([])
    expect(RENDERS_ERROR_PAGE.test("reply.code(404).render('pages/404.njk')")).toBe(true)
  })
})
