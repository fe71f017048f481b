import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../testing/database.ts'
import type { DatabaseHandle } from './connection.ts'

/*
 * The table types in schema.ts are written by hand beside the migrations, so they can drift.
 * This migrates a fresh database and compares every table and column with what schema.ts
 * declares (read with the TypeScript compiler): the same tables, the same columns, the same
 * nullability, and a type that fits (text as string, integers as numbers, timestamps as Date,
 * dates as 'YYYY-MM-DD' strings, JSON as objects). A migration without its schema.ts change, or
 * the reverse, fails here.
 */

type Kind = 'string' | 'number' | 'boolean' | 'Date' | 'Buffer' | 'json'

interface Column {
  kind: Kind
  nullable: boolean
}

/** What each PostgreSQL type arrives as in code (connection.ts gives both backends one rule). */
const KIND_OF_SQL_TYPE: Record<string, Kind> = {
  text: 'string',
  uuid: 'string',
  'character varying': 'string',
  date: 'string',
  'time without time zone': 'string',
  numeric: 'string',
  integer: 'number',
  bigint: 'number',
  smallint: 'number',
  boolean: 'boolean',
  'timestamp with time zone': 'Date',
  bytea: 'Buffer',
  jsonb: 'json',
  json: 'json',
  ARRAY: 'json',
}

/** Every table in the `DB` interface of schema.ts, with each column's select type. */
function declaredTables(): Map<string, Map<string, Column>> {
  const file = fileURLToPath(new URL('./schema.ts', import.meta.url))
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(file)!
  const db = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'DB',
  )
  if (!db) throw new Error('schema.ts has no DB interface')
  const tables = new Map<string, Map<string, Column>>()
  for (const table of checker.getTypeAtLocation(db).getProperties()) {
    const tableType = checker.getTypeOfSymbolAtLocation(table, db)
    const columns = new Map<string, Column>()
    for (const column of tableType.getProperties()) {
      let type = checker.getTypeOfSymbolAtLocation(column, db)
      // Kysely's ColumnType<Select, Insert, Update> (and Generated<T>): what a select returns.
      const select = type.getProperty('__select__')
      if (select) type = checker.getTypeOfSymbolAtLocation(select, db)
      columns.set(column.name, columnOf(checker, type))
    }
    tables.set(table.name, columns)
  }
  return tables
}

function columnOf(checker: ts.TypeChecker, type: ts.Type): Column {
  const parts = type.isUnion() ? type.types : [type]
  const nullable = parts.some((t) => t.flags & ts.TypeFlags.Null)
  const kinds = new Set(
    parts.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined))).map(kindOf),
  )
  if (kinds.size !== 1) throw new Error(`A column of mixed types: ${checker.typeToString(type)}`)
  return { kind: [...kinds][0]!, nullable }

  function kindOf(t: ts.Type): Kind {
    if (t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.StringLiteral)) return 'string'
    if (t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.NumberLiteral)) return 'number'
    if (t.flags & (ts.TypeFlags.BooleanLike | ts.TypeFlags.BooleanLiteral)) return 'boolean'
    const name = t.getSymbol()?.getName()
    if (name === 'Date') return 'Date'
    if (name === 'Buffer') return 'Buffer'
    return 'json'
  }
}

let database: DatabaseHandle
let declared: Map<string, Map<string, Column>>
// Reading schema.ts with the compiler takes seconds (more on a busy machine): once per file.
beforeAll(async () => {
  declared = declaredTables()
  // As the tables' owner: a test here alters a table (on the server the app's role may not).
  database = await createTestDatabase({ as: 'owner' })
}, 180_000)
afterAll(() => database.close())

async function migratedTables(): Promise<Map<string, Map<string, Column>>> {
  const { rows } = await sql<{
    table_name: string
    column_name: string
    data_type: string
    is_nullable: 'YES' | 'NO'
  }>`
    select c.table_name, c.column_name, c.data_type, c.is_nullable
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and c.table_name not like 'kysely\\_migration%'
    order by c.table_name, c.ordinal_position
  `.execute(database.db)
  const tables = new Map<string, Map<string, Column>>()
  for (const row of rows) {
    const kind = KIND_OF_SQL_TYPE[row.data_type]
    if (!kind)
      throw new Error(`No type map for ${row.table_name}.${row.column_name}: ${row.data_type}`)
    const columns = tables.get(row.table_name) ?? new Map<string, Column>()
    columns.set(row.column_name, { kind, nullable: row.is_nullable === 'YES' })
    tables.set(row.table_name, columns)
  }
  return tables
}

/** Every difference between the declared and the migrated tables, in words. */
function drift(
  declared: Map<string, Map<string, Column>>,
  migrated: Map<string, Map<string, Column>>,
): string[] {
  const found: string[] = []
  for (const table of declared.keys())
    if (!migrated.has(table)) found.push(`${table} is in schema.ts but not in the database`)
  for (const [table, columns] of migrated) {
    const types = declared.get(table)
    if (!types) {
      found.push(`${table} is in the database but not in schema.ts`)
      continue
    }
    for (const [name, column] of columns) {
      const type = types.get(name)
      if (!type) found.push(`${table}.${name} is in the database but not in schema.ts`)
      else if (type.kind !== column.kind)
        found.push(`${table}.${name} is ${column.kind} in the database, ${type.kind} in schema.ts`)
      else if (type.nullable !== column.nullable)
        found.push(
          `${table}.${name} is ${column.nullable ? '' : 'not '}nullable in the database but ${type.nullable ? '' : 'not '}in schema.ts`,
        )
    }
    for (const name of types.keys())
      if (!columns.has(name)) found.push(`${table}.${name} is in schema.ts but not in the database`)
  }
  return found
}

describe('schema.ts against the migrated database', () => {
  it('declares every table and column the migrations make, with its nullability and type', async () => {
    expect(drift(declared, await migratedTables())).toEqual([])
  })

  it('names a column a migration added without its type, or made nullable', async () => {
    await sql`alter table authority add column drifted text`.execute(database.db)
    await sql`alter table authority alter column name drop not null`.execute(database.db)
    try {
      expect(drift(declared, await migratedTables())).toEqual([
        'authority.name is nullable in the database but not in schema.ts',
        'authority.drifted is in the database but not in schema.ts',
      ])
    } finally {
      await sql`alter table authority drop column drifted`.execute(database.db)
      await sql`alter table authority alter column name set not null`.execute(database.db)
    }
  })
})
