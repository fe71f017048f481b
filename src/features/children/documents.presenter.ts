import { paths } from '../../paths.ts'
import { formatDateTime } from '../../views/format.ts'
import type { DocumentRow } from './documents.repository.ts'
import { formatSize } from './documents.form.ts'
import { documentKindText } from '../../domain/documents.ts'

/* The words of a child's documents page (ADR 7: titles and words from the presenter). */

/** The documents page's title and each document as the page lists it. */
export function presentDocuments(
  child: { id: string; firstName: string; lastName: string },
  rows: readonly DocumentRow[],
) {
  return {
    pageTitle: `Documents – ${child.firstName} ${child.lastName}`,
    documents: rows.map((d) => ({
      title: d.title,
      kind: d.pepId ? `${documentKindText(d.kind)}, attached to a PEP` : null,
      filename: d.filename,
      size: formatSize(d.sizeBytes),
      uploaded: `${d.uploadedByName}, ${formatDateTime(d.uploadedAt)}`,
      href: paths.children.document(child.id, d.id),
    })),
  }
}
