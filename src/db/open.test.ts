import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { openMigratedDatabase } from './open.ts'

const dir = mkdtempSync(join(tmpdir(), 'openpep-open-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('opening a new embedded database', () => {
  it('makes its data directory in a process of its own, then opens and migrates it, and opens it again as it is', async () => {
    const pgliteDir = join(dir, 'pglite')
    const config = loadConfig({ NODE_ENV: 'test', PGLITE_DIR: pgliteDir })
    const first = await openMigratedDatabase(config)
    try {
      expect(existsSync(join(pgliteDir, 'PG_VERSION'))).toBe(true)
      await sql`insert into authority (name, code) values ('Opened', 'OPN')`.execute(first.db)
    } finally {
      await first.close()
    }
    const again = await openMigratedDatabase(config)
    try {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from authority where code = 'OPN'`.execute(again.db)
      expect(rows[0]!.n).toBe(1)
    } finally {
      await again.close()
    }
  }, 120_000)
})
