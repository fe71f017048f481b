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

/** A file name safe to offer back in a Content-Disposition header and to show on a page. */
export function safeFilename(name: string, extension: string): string {
  const printable = [...name]
    .map((c) => (c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127 ? ' ' : c))
    .join('')
  const base = printable
    .replace(/["\\/:*?<>|]+/g, ' ')
    .replace(/\.[A-Za-z0-9]{1,8}$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120)
  return `${base || 'document'}.${extension}`
}

/** RFC 6266 header value: an ASCII fallback and the exact UTF-8 name. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}
