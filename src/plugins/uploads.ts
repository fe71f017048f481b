import multipart, { type MultipartFile } from '@fastify/multipart'
import type { FastifyInstance } from 'fastify'
import { readCsv, type CsvRow } from '../domain/csv.ts'
import { formError, type FormErrors } from '../forms/validation.ts'

/** A file posted with a form: its name as sent, its bytes, and whether it was cut at the size limit. */
export interface UploadedFile {
  filename: string
  content: Buffer
  truncated: boolean
}

/** Each file part is read into memory, at most the size limit, and kept with its name. */
async function onFile(part: MultipartFile & { value?: unknown }) {
  const content = await part.toBuffer()
  part.value = {
    filename: part.filename,
    content,
    truncated: part.file.truncated,
  } satisfies UploadedFile
}

/**
 * Lets the calling plugin's routes take one file with a few fields. Fields arrive in
 * request.body as plain values (so the CSRF check reads `_csrf` as for any form), the file as an
 * UploadedFile. A file over the limit is kept cut short and marked, so the page can say so.
 */
export async function acceptUploads(app: FastifyInstance, maxBytes: number): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    onFile,
    throwFileSizeLimit: false,
    limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 10_000, parts: 6 },
  })
}

/** The uploaded file in a form field, or undefined when none (or something else) was sent. */
export function uploadedFile(value: unknown): UploadedFile | undefined {
  if (
    !value ||
    typeof value !== 'object' ||
    !('content' in value) ||
    !Buffer.isBuffer(value.content)
  )
    return undefined
  return value as UploadedFile
}

export type CsvUpload =
  | { ok: true; filename: string; header: string[]; rows: CsvRow[] }
  | { ok: false; filename: string | undefined; message: string }

/** The CSV file posted in a form field, read, or the message to show against the field. */
export function readCsvUpload(value: unknown, maxBytes: number): CsvUpload {
  const file = uploadedFile(value)
  if (!file || file.content.length === 0)
    return { ok: false, filename: file?.filename, message: 'Select a CSV file' }
  if (file.truncated) {
    return {
      ok: false,
      filename: file.filename,
      message: `The selected file must be smaller than ${maxBytes / (1024 * 1024)} MB`,
    }
  }
  const csv = readCsv(file.content)
  if (!csv.ok) return { ok: false, filename: file.filename, message: csv.message }
  return { ok: true, filename: file.filename, header: csv.header, rows: csv.rows }
}

/** The message against the file field when an all-or-nothing import is refused. */
export function nothingImported(problemCount: number): FormErrors {
  const problems = problemCount === 1 ? 'problem' : 'problems'
  return formError(
    'file',
    `Nothing was imported: fix the ${problems} below and upload the file again`,
  )
}
