import type { FastifyReply } from 'fastify'
import { attachmentDisposition, safeFilename } from '../download.ts'
import { csvStream, type CsvOptions } from './csv.ts'
import type { ExportTable } from './export-table.ts'
import { xlsxStream } from './xlsx.ts'

/*
 * The one way to send an export (ADR 7): a route gathers what the person may read, describes
 * it as an ExportTable, and calls sendExport. The rows stream to the response as they are read.
 */

export type ExportFormat = 'csv' | 'xlsx'

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/** `?format=xlsx` asks for a spreadsheet; anything else is CSV. */
export function exportFormat(asked: unknown): ExportFormat {
  return asked === 'xlsx' ? 'xlsx' : 'csv'
}

export function sendExport<Row>(
  reply: FastifyReply,
  format: ExportFormat,
  table: ExportTable<Row>,
  options: CsvOptions = {},
): FastifyReply {
  return reply
    .type(EXPORT_TYPES[format])
    .header('content-disposition', attachmentDisposition(safeFilename(table.title, format)))
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(format === 'xlsx' ? xlsxStream(table) : csvStream(table, options))
}
