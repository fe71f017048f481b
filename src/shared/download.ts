/*
 * Offering a file for download: a name safe to put in a header and to show on a page, and the
 * Content-Disposition that carries it (RFC 6266: an ASCII fallback and the exact UTF-8 name).
 */

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

/** RFC 6266 header value: an ASCII fallback and the exact UTF-8 name (RFC 8187 encoding). */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_')
  const exact = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`
}
