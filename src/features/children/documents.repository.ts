import type { Queryable } from '../../db/connection.ts'

export interface DocumentRow {
  id: string
  title: string
  filename: string
  contentType: string
  sizeBytes: number
  uploadedByName: string
  uploadedAt: Date
  kind: string | null
  pepId: string | null
}

/** A child's documents as lists show them, with who uploaded each: one select for every list. */
const documentRows = (db: Queryable) =>
  db
    .selectFrom('child_document as d')
    .innerJoin('app_user as u', 'u.id', 'd.uploaded_by')
    .select([
      'd.id',
      'd.title',
      'd.filename',
      'd.content_type as contentType',
      'd.size_bytes as sizeBytes',
      'u.display_name as uploadedByName',
      'd.uploaded_at as uploadedAt',
      'd.kind',
      'd.pep_id as pepId',
    ])

export async function listDocuments(db: Queryable, childId: string): Promise<DocumentRow[]> {
  return documentRows(db)
    .where('d.child_id', '=', childId)
    .orderBy('d.uploaded_at', 'desc')
    .orderBy('d.id')
    .execute()
}

export async function insertDocument(
  db: Queryable,
  doc: {
    childId: string
    pepId: string | null
    kind: string | null
    title: string
    filename: string
    contentType: string
    content: Buffer
    sha256: string
    uploadedBy: string
    at: Date
  },
) {
  return db
    .insertInto('child_document')
    .values({
      child_id: doc.childId,
      pep_id: doc.pepId,
      kind: doc.kind as 'ehc-plan' | 'sen-support-plan' | 'report' | 'other' | null,
      title: doc.title,
      filename: doc.filename,
      content_type: doc.contentType,
      size_bytes: doc.content.length,
      sha256: doc.sha256,
      content: doc.content,
      uploaded_by: doc.uploadedBy,
      uploaded_at: doc.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** A document of this child only: an id from another child's record finds nothing. */
export async function findDocument(db: Queryable, childId: string, documentId: string) {
  return db
    .selectFrom('child_document')
    .select(['id', 'filename', 'content_type', 'content'])
    .where('id', '=', documentId)
    .where('child_id', '=', childId)
    .executeTakeFirst()
}

/** The documents attached to one PEP of the child, oldest first (the order they were attached). */
export async function listPepDocuments(
  db: Queryable,
  childId: string,
  pepId: string,
): Promise<DocumentRow[]> {
  return documentRows(db)
    .where('d.child_id', '=', childId)
    .where('d.pep_id', '=', pepId)
    .orderBy('d.uploaded_at')
    .orderBy('d.id')
    .execute()
}
