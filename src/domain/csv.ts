import { parse } from 'csv-parse/sync'

/*
 * Reading an uploaded CSV file (RFC 4180, by csv-parse): UTF-8 with or without a byte order
 * mark, CRLF or LF line ends, quoted cells with commas, quotes and line breaks in them, blank
 * lines skipped. Each row keeps the line of the file it starts on, for the report.
 */

export interface CsvRow {
  /** The line of the file the row starts on (the header is line 1). */
  line: number
  cells: string[]
}

export type CsvReadResult =
  { ok: true; header: string[]; rows: CsvRow[] } | { ok: false; line: number; message: string }

interface ParsedRecord {
  record: string[]
  info: { bytes: number }
}

export function readCsv(content: Buffer): CsvReadResult {
  if (content.length === 0) return { ok: false, line: 1, message: 'The selected file is empty' }
  // Not UTF-8 (a spreadsheet saved as Windows-1252, say): refuse rather than save mangled names.
  if (!isUtf8(content))
    return {
      ok: false,
      line: 1,
      message: 'The selected file must be saved as CSV UTF-8 (comma delimited)',
    }
  let records: ParsedRecord[]
  try {
    records = parse(content, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as ParsedRecord[]
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1
    return {
      ok: false,
      line,
      message: `The file could not be read as CSV near line ${line}: check its quotes`,
    }
  }
  const lineStarts = newlineOffsets(content)
  const rows: CsvRow[] = []
  let start = 0
  for (const { record, info } of records) {
    // Blank lines before a row are skipped by the parser; the row starts after them.
    while (start < content.length && (content[start] === 0x0a || content[start] === 0x0d)) start++
    rows.push({ line: lineOf(lineStarts, start), cells: record.map((c) => c.trim()) })
    start = info.bytes
  }
  // A row of nothing but empty cells (",,,," from a spreadsheet) is not a row.
  const [header, ...data] = rows.filter((r) => r.cells.some((c) => c !== ''))
  if (!header) return { ok: false, line: 1, message: 'The selected file is empty' }
  return {
    ok: true,
    header: header.cells.map((c) => c.toLowerCase()),
    rows: data,
  }
}

function isUtf8(content: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content)
    return true
  } catch {
    return false
  }
}

function newlineOffsets(content: Buffer): number[] {
  const offsets: number[] = []
  let at = content.indexOf(0x0a)
  while (at !== -1) {
    offsets.push(at)
    at = content.indexOf(0x0a, at + 1)
  }
  return offsets
}

/** 1 + the number of line feeds before the offset. */
function lineOf(newlines: number[], offset: number): number {
  let low = 0
  let high = newlines.length
  while (low < high) {
    const mid = (low + high) >> 1
    if (newlines[mid]! < offset) low = mid + 1
    else high = mid
  }
  return low + 1
}

/** One cell for a CSV file we write: quoted when it holds a comma, quote or line break. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}
