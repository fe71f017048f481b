import { createHash } from 'node:crypto'
import type { Database } from '../../db/connection.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import type { DocumentUpload } from './documents.form.ts'
import { insertDocument } from './documents.repository.ts'

/**
 * Keeps a document on the child's record, in one transaction with its audit event. From a PEP
 * (`pepId`), it is still the child's document, linked to the PEP it was attached from.
 */
export async function addDocument(
  db: Database,
  actor: PersonActor,
  input: { childId: string; pepId?: string; upload: DocumentUpload },
): Promise<{ documentId: string }> {
  const { upload } = input
  return db.transaction().execute(async (trx) => {
    const doc = await insertDocument(trx, {
      childId: input.childId,
      pepId: input.pepId ?? null,
      kind: upload.kind,
      title: upload.title,
      filename: upload.filename,
      contentType: upload.contentType,
      content: upload.content,
      sha256: createHash('sha256').update(upload.content).digest('hex'),
      uploadedBy: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: input.pepId ? 'pep.document.attach' : 'child.document.upload',
      childId: input.childId,
      details: {
        documentId: doc.id,
        bytes: upload.content.length,
        ...(input.pepId ? { pepId: input.pepId, kind: upload.kind } : {}),
      },
    })
    return { documentId: doc.id }
  })
}
