import { PassThrough, type Readable } from 'node:stream'
import { exportLines, preambleHeight, type ExportCell, type ExportTable } from './export-table.ts'

/*
 * Spreadsheets (.xlsx) by ExcelJS's streaming writer (ADR 7 says why ExcelJS): rows are written
 * as they are read and committed, so a large export is never held whole. Every text cell is a
 * shared string, a cell of text, so `=SUM(...)` typed as a name is shown, never run; numbers are
 * numbers. The header row is bold and frozen below any preamble lines.
 *
 * ExcelJS is loaded with the first spreadsheet, not at start (it and its dependencies are large).
 */

const ROWS_BETWEEN_YIELDS = 500

/** Excel's rules for a sheet's name: at most 31 characters, none of []:*?/\. */
export function sheetName(title: string): string {
  const name = title
    .replace(/[[\]:*?/\\]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 31)
    .trim()
  return name.replace(/^'+|'+$/g, '').trim() || 'Export'
}

/** The table as a stream of .xlsx bytes. A failure while writing destroys the stream. */
export function xlsxStream<Row>(table: ExportTable<Row>): Readable {
  const out = new PassThrough()
  write(table, out).catch((error: unknown) => out.destroy(error as Error))
  return out
}

async function write<Row>(table: ExportTable<Row>, out: PassThrough): Promise<void> {
  const { default: ExcelJS } = await import('exceljs')
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: true,
    useStyles: true,
  })
  const headerAt = preambleHeight(table)
  const sheet = workbook.addWorksheet(sheetName(table.title), {
    views: [{ state: 'frozen', ySplit: headerAt + 1 }],
  })
  sheet.columns = table.columns.map((c) => ({
    width: Math.min(Math.max(c.header.length + 2, 12), 60),
  }))
  let line = 0
  for await (const cells of exportLines(table)) {
    const row = sheet.addRow(cells.map(cellValue))
    if (line === headerAt) row.font = { bold: true }
    row.commit()
    line++
    // Let the response drain between batches rather than buffer the whole file.
    if (line % ROWS_BETWEEN_YIELDS === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  sheet.commit()
  await workbook.commit()
}

function cellValue(cell: ExportCell): string | number | null {
  return cell === undefined ? null : cell
}
