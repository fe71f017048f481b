import type { FastifyReply } from 'fastify'
import { zipSync } from 'fflate'
import { attachmentDisposition, safeFilename } from '../download.ts'
import { csvText } from './csv.ts'
import type { ExportTable } from './export-table.ts'

/*
 * A pack of CSV files in one ZIP (ADR 7): each table written by the shared CSV writer (so its
 * formula cells are made safe), then zipped by fflate. For small packs such as a report's
 * tables, built whole in memory; a list of thousands of rows goes out as one CSV stream instead.
 */

export interface ZipEntry<Row> {
  /** The file's name inside the ZIP, without ".csv". */
  name: string
  table: ExportTable<Row>
}

/** The ZIP's bytes: one CSV file per entry, in order. */
export async function csvZip<Row>(entries: readonly ZipEntry<Row>[]): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {}
  for (const entry of entries) {
    const name = safeFilename(entry.name, 'csv')
    if (name in files) throw new Error(`Two files named ${name} in one ZIP`)
    files[name] = new TextEncoder().encode(await csvText(entry.table))
  }
  return zipSync(files, { level: 6 })
}

export async function sendCsvZip<Row>(
  reply: FastifyReply,
  title: string,
  entries: readonly ZipEntry<Row>[],
): Promise<FastifyReply> {
  const bytes = await csvZip(entries)
  return reply
    .type('application/zip')
    .header('content-disposition', attachmentDisposition(safeFilename(title, 'zip')))
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
}
