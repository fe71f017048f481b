/*
 * What every export is: a title, optional lines of words above the table (the filter that chose
 * the rows, so a file says what it holds when it is passed on), the columns and the rows. Rows
 * arrive one at a time (an array, a generator, or rows streamed from the database), so an export
 * of any size is written as it is read, never built whole in memory.
 */

/** One cell: text (written as text, made safe), a number, or nothing. */
export type ExportCell = string | number | null | undefined

export interface ExportColumn<Row> {
  header: string
  value: (row: Row) => ExportCell
}

export interface ExportTable<Row> {
  /** The file's name without its extension, and the spreadsheet's sheet name. */
  title: string
  /** Lines of words above the header row, e.g. "School: Oak Academy", "Year group: 9". */
  preamble?: readonly string[]
  columns: readonly ExportColumn<Row>[]
  rows: Iterable<Row> | AsyncIterable<Row>
}

/** The table's lines, top to bottom: the preamble (then a blank line), the header, each row. */
export async function* exportLines<Row>(table: ExportTable<Row>): AsyncGenerator<ExportCell[]> {
  if (table.preamble && table.preamble.length > 0) {
    for (const line of table.preamble) yield [line]
    yield []
  }
  yield table.columns.map((c) => c.header)
  for await (const row of table.rows) yield table.columns.map((c) => c.value(row))
}

/** How many lines come before the header row (for freezing it in a spreadsheet). */
export const preambleHeight = (table: { preamble?: readonly string[] }): number =>
  table.preamble && table.preamble.length > 0 ? table.preamble.length + 1 : 0
