import type { TestProject } from 'vitest/node'
import { prepareTestTemplate, TEMPLATE_KEY } from './database.ts'

/**
 * Once per test run, before any test file: the migrated database every test file copies
 * (src/testing/database.ts). Removed again when the run ends.
 */
export default async function setup(project: TestProject) {
  const { template, remove } = await prepareTestTemplate()
  project.provide(TEMPLATE_KEY, template)
  return remove
}
