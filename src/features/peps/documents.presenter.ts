import { paths } from '../../paths.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import type { DocumentRow } from '../children/documents.service.ts'
import { documentKindText } from '../../domain/documents.ts'

/** The documents attached to a PEP, as the PEP's page lists them. */
export function pepDocumentRows(childId: string, documents: DocumentRow[]) {
  return documents.map((d) => ({
    title: d.title,
    type: documentKindText(d.kind),
    filename: d.filename,
    attached: `${d.uploadedByName}, ${formatDateTime(d.uploadedAt)}`,
    href: paths.children.document(childId, d.id),
  }))
}

/** The same list for the PEP's PDF: each document's name, type and date. */
export function pepDocumentLines(documents: DocumentRow[]) {
  return documents.map((d) => ({
    title: d.title,
    type: documentKindText(d.kind),
    date: formatDate(d.uploadedAt),
  }))
}

export const pepDocumentsTitle = (pepTitle: string, childName: string) =>
  `Documents – ${pepTitle} – ${childName}`

export const signedOffRefusal =
  'This PEP has been signed off: attach the document to the child’s record, or to next term’s PEP'

export const LINK_REFUSALS: Record<string, string> = {
  'pep-document.not-found': 'That document is not on this child’s record: select another',
  'pep-document.already-attached':
    'That document is attached to a PEP already: it is listed on that PEP',
  'pep-document.signed-off': signedOffRefusal,
}
