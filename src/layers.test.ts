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
