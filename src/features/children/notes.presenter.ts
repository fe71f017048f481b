import { formatDateTime } from '../../views/format.ts'
import type { NoteRow } from './notes.repository.ts'

/* The words of a child's notes page (ADR 7: titles and words from the presenter). */

const KIND_NAMES = { user_note: 'User note', case_note: 'Case note' } as const

/** The notes page's title and each note as the page shows it. */
export function presentNotes(
  child: { firstName: string; lastName: string },
  rows: readonly NoteRow[],
) {
  return {
    pageTitle: `Notes – ${child.firstName} ${child.lastName}`,
    notes: rows.map((n) => ({
      ...n,
      kindName: KIND_NAMES[n.kind],
      when: formatDateTime(n.createdAt),
    })),
  }
}
