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

/** What a document attached to a PEP is: shown on the PEP, on the record and in the PEP's PDF. */
export const DOCUMENT_KINDS = [
  { value: 'ehc-plan', text: 'EHC plan' },
  { value: 'sen-support-plan', text: 'SEN support plan' },
  { value: 'report', text: 'Report or assessment' },
  { value: 'other', text: 'Other' },
] as const

export type DocumentKind = (typeof DOCUMENT_KINDS)[number]['value']

export const isDocumentKind = (value: unknown): value is DocumentKind =>
  DOCUMENT_KINDS.some((k) => k.value === value)

export const documentKindText = (kind: string | null): string =>
  DOCUMENT_KINDS.find((k) => k.value === kind)?.text ?? 'Document'
