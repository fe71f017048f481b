/** What a child's record accepts as a document: checked from the file's content, not its name. */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

export const ALLOWED_DOCUMENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  png: 'image/png',
  jpg: 'image/jpeg',
}

export const ALLOWED_DOCUMENT_NAMES = 'PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG'

export { attachmentDisposition, safeFilename } from '../../shared/download.ts'
