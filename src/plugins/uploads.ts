import multipart, { type MultipartFile } from '@fastify/multipart'
import type { FastifyInstance } from 'fastify'

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
