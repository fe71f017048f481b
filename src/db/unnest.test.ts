import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from './connection.ts'
import { anyOf, columnsOf, unnestRows } from './unnest.ts'
import { createTestDatabase } from '../testing/database.ts'

let database: DatabaseHandle
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

const AWKWARD = [
  'NULL',
  '',
  'a,b',
  '{braces}',
  '"quoted" and \\ backslash',
  "O'Brien’s",
  'עברית (مرحبا) 👩🏽‍🎓',
  ' spaced ',
]

describe('rows sent as arrays and unnested', () => {
  it('come back cell for cell, in order, whatever the text, with nulls kept', async () => {
    const at = new Date('2026-11-30T12:34:56.789Z')
    const types = {
      id: 'uuid',
      words: 'text',
      day: 'date',
      n: 'int',
      yes: 'boolean',
      at: 'timestamptz',
      details: 'jsonb',
    } as const
    const rows = AWKWARD.map((words, i) => ({
      id: `00000000-0000-4000-8000-00000000000${i}`,
      words,
      day: i % 2 ? null : '2026-09-01',
      n: i,
      yes: i % 3 === 0,
      at,
      details: JSON.stringify({ words }),
    }))
    const back = await database.db.selectFrom(unnestRows(types, rows).as('v')).selectAll().execute()
    expect(back).toEqual(
      rows.map((r) => ({ ...r, at, details: { words: r.words }, day: r.day ?? null })),
    )
    expect(columnsOf(types)).toEqual(['id', 'words', 'day', 'n', 'yes', 'at', 'details'])
  })

  it('insert many rows in one statement, and `any` finds them by one array', async () => {
    const codes = AWKWARD.map((_, i) => `UN${i}`)
    const types = { name: 'text', code: 'text' } as const
    await database.db
      .insertInto('authority')
      .columns(columnsOf(types))
      .expression(
        unnestRows(
          types,
          AWKWARD.map((name, i) => ({ name: `${name} ${i}`, code: codes[i]! })),
        ),
      )
      .execute()
    const found = await database.db
      .selectFrom('authority')
      .select(['name', 'code'])
      .where('code', '=', anyOf(codes, 'text'))
      .orderBy('code')
      .execute()
    expect(found).toEqual(
      AWKWARD.map((name, i) => ({ name: `${name} ${i}`, code: codes[i] })).sort((a, b) =>
        a.code! < b.code! ? -1 : 1,
      ),
    )
  })

  it('send nothing wrong for no rows', async () => {
    const back = await database.db
      .selectFrom(unnestRows({ n: 'int' }, []).as('v'))
      .selectAll()
      .execute()
    expect(back).toEqual([])
  })
})
