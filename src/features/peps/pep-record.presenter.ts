import type { Queryable } from '../../db/connection.ts'
import type { Role } from '../../domain/roles.ts'
import { mayReadPart } from '../../domain/visibility.ts'
import { paths } from '../../paths.ts'
import type { PepRow } from './peps.repository.ts'
import { listPepDocuments } from '../children/documents.repository.ts'
import { pepDocumentLines } from './documents.presenter.ts'

/**
 * What a PEP holds outside its form's pages (its documents), as links on its contents page:
 * only what the reader may read (the carer and the young person do not read documents).
 */
export async function pepRecordLinks(db: Queryable, pep: PepRow, role: Role | null) {
  const links: { text: string; href: string; hint: string }[] = []
  if (role && mayReadPart(role, 'documents')) {
    const { count } = await db
      .selectFrom('child_document')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('child_id', '=', pep.childId)
      .where('pep_id', '=', pep.id)
      .executeTakeFirstOrThrow()
    const n = Number(count)
    links.push({
      text: 'Documents',
      href: paths.peps.documents(pep.childId, pep.id),
      hint: n === 0 ? 'None attached' : n === 1 ? '1 attached' : `${n} attached`,
    })
  }
  return links
}

/**
 * What the PEP holds outside its form, as its read view and its PDF show it to this reader:
 * the attached documents (name, type, date) when they may read documents, else nothing.
 */
export async function pepExtras(
  db: Queryable,
  pep: Pick<PepRow, 'id' | 'childId'>,
  role: Role | null,
): Promise<PepExtras> {
  const documents =
    role && mayReadPart(role, 'documents')
      ? pepDocumentLines(await listPepDocuments(db, pep.childId, pep.id))
      : []
  return { documents }
}

export interface PepExtras {
  documents: { title: string; type: string; date: string }[]
}
