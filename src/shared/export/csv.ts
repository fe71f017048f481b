import { Readable, pipeline } from 'node:stream'
import { stringify } from 'csv-stringify'
import { exportLines, type ExportTable } from './export-table.ts'

/*
 * CSV files (RFC 4180: comma-separated, CRLF line ends, a cell quoted when it holds a comma, a
 * quote or a line break, quotes doubled), UTF-8 with a byte order mark so Excel reads the names
 * as typed. Written by csv-stringify, the writer from the same project as the reader (csv-parse).
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that begins with `=`, `+`,
 * `-` or `@` (or a tab or carriage return before one) as a formula, so a child's name typed as
 * `=HYPERLINK(...)` could act on the machine of whoever opens the export. Every text cell that
 * begins with one of them is written with an apostrophe before it, which spreadsheets show as
 * text. Numbers are written as numbers.
 */

const FORMULA_START = /^[=+\-@\t\r]/

/** Text a spreadsheet will never run: an apostrophe before a formula's first character. */
export function safeCellText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

export interface CsvOptions {
  /** The byte order mark Excel needs for UTF-8 (default true). */
  bom?: boolean
}

/** The table as a stream of CSV bytes, row by row. */
export function csvStream<Row>(table: ExportTable<Row>, options: CsvOptions = {}): Readable {
  const writer = stringify({
    bom: options.bom ?? true,
    record_delimiter: 'windows',
    quote_record_delimiter: true,
    cast: {
      string: (value) => safeCellText(value),
      number: (value) => String(value),
    },
  })
  // pipeline, not pipe: a failure reading the rows destroys the writer, so the download fails
  // visibly instead of hanging half-written.
  return pipeline(Readable.from(exportLines(table)), writer, () => {})
}

/** The table as one CSV string (for small files such as a template). */
export async function csvText<Row>(table: ExportTable<Row>, options: CsvOptions = {}) {
  const chunks: Buffer[] = []
  for await (const chunk of csvStream(table, options))
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(chunks).toString('utf8')
}
