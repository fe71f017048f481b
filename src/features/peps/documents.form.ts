import { isDocumentKind, type DocumentKind } from '../../domain/documents.ts'
import { isUuid } from '../../domain/ids.ts'
import { FormProblems, type FormErrors } from '../../forms/validation.ts'

/** What was chosen on a PEP's form attaching a document already on the child's record. */
export interface TypedLink {
  documentId: string
  kind: string
}

/**
 * The form attaching a document already on the record to a PEP: which document, and what it is.
 * Either both, or the problems with what was chosen kept.
 */
export function readLinkForm(
  body: Record<string, unknown> | undefined,
):
  | { ok: true; typed: TypedLink; value: { documentId: string; kind: DocumentKind } }
  | { ok: false; typed: TypedLink; errors: FormErrors } {
  const documentId = typeof body?.documentId === 'string' ? body.documentId : ''
  const kind = typeof body?.linkKind === 'string' ? body.linkKind : ''
  const typed = { documentId, kind }
  const problems = new FormProblems()
  if (!isUuid(documentId)) problems.add('documentId', 'Select a document from the record')
  if (!isDocumentKind(kind)) problems.add('linkKind', 'Select what the document is')
  if (problems.any || !isDocumentKind(kind)) return { ok: false, typed, errors: problems.errors }
  return { ok: true, typed, value: { documentId, kind } }
}
