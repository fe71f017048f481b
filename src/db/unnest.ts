import { sql, type RawBuilder } from 'kysely'

/*
 * Many rows in one statement with a handful of parameters: each column sent as one array and
 * turned back into rows by `unnest` (`insert ... select * from unnest($1::uuid[], $2::date[])`),
 * the set-based way to write an import. A multi-row VALUES list sends a parameter per cell (a
 * thousand rows of fourteen columns are 14,000 parameters to build, send, parse and plan); the
 * arrays are a parameter per column, whatever the number of rows, so a file is one statement,
 * not one per thousand rows (`npm run bench:attendance-import`).
 *
 * The types are PostgreSQL's names of the columns' types; a Date is sent as its ISO text, so
 * PostgreSQL and PGlite read the same instant.
 */

export type ColumnType =
  'uuid' | 'text' | 'date' | 'int' | 'numeric' | 'boolean' | 'timestamptz' | 'jsonb'

type Cell = string | number | boolean | Date | null

/**
 * The rows as a select of one column per key of `types`, in that order, in brackets: give the
 * insert's columns in the same order (`insertInto(t).columns(columnsOf(types))
 * .expression(unnestRows(types, rows))`), or name it as a table (`.from(unnestRows(...).as('v'))`).
 */
export function unnestRows<K extends string>(
  types: Readonly<Record<K, ColumnType>>,
  rows: readonly Readonly<Record<K, Cell>>[],
): RawBuilder<Record<K, string>> {
  const keys = Object.keys(types) as K[]
  const arrays = keys.map((key) => {
    const values = rows.map((row) => {
      const value = row[key]
      return value instanceof Date ? value.toISOString() : value
    })
    return sql`${values}::${sql.raw(types[key])}[]`
  })
  const names = sql.join(keys.map((key) => sql.id(key)))
  return sql<Record<K, string>>`(select * from unnest(${sql.join(arrays)}) as u(${names}))`
}

/** `column = any($1::uuid[])`: one parameter for a list of any length (instead of `in`). */
export function anyOf(values: readonly string[], type: ColumnType = 'uuid'): RawBuilder<string> {
  return sql<string>`any(${[...values]}::${sql.raw(type)}[])`
}

/** The keys of a column-type record, in order, for the insert's `columns(...)`. */
export function columnsOf<K extends string>(types: Readonly<Record<K, ColumnType>>): K[] {
  return Object.keys(types) as K[]
}
