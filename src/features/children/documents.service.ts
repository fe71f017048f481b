import { createHash } from 'node:crypto'
import { ok, refuse, type Result } from '../../shared/result.ts'
import type { DocumentKind } from '../../domain/documents.ts'
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

export type LinkRefusal =
  'pep-document.not-found' | 'pep-document.already-attached' | 'pep-document.signed-off'

/**
 * Attaches a document already on the child's record to one of their PEPs, saying what it is:
 * refused for a document of another child (or none), one already attached to a PEP, and a PEP
 * signed off. In one transaction with its audit event.
 */
export async function attachRecordDocument(
  db: Database,
  actor: PersonActor,
  input: { childId: string; pepId: string; documentId: string; kind: DocumentKind },
): Promise<Result<{ title: string }, LinkRefusal>> {
  return db.transaction().execute(async (trx) => {
    const pep = await trx
      .selectFrom('pep')
      .select('status')
      .where('id', '=', input.pepId)
      .where('child_id', '=', input.childId)
      .forUpdate()
      .executeTakeFirst()
    if (!pep) return refuse('pep-document.not-found')
    if (pep.status === 'signed_off') return refuse('pep-document.signed-off')
    const doc = await trx
      .selectFrom('child_document')
      .select(['id', 'title', 'pep_id'])
      .where('id', '=', input.documentId)
      .where('child_id', '=', input.childId)
      .forUpdate()
      .executeTakeFirst()
    if (!doc) return refuse('pep-document.not-found')
    if (doc.pep_id !== null) return refuse('pep-document.already-attached')
    await trx
      .updateTable('child_document')
      .set({ pep_id: input.pepId, kind: input.kind })
      .where('id', '=', doc.id)
      .execute()
    await audit(trx, actor, {
      action: 'pep.document.attach',
      childId: input.childId,
      details: { documentId: doc.id, pepId: input.pepId, kind: input.kind, fromRecord: true },
    })
    return ok({ title: doc.title })
  })
}

/*
 * What other features read of a child's documents (a PEP's Documents page and its record): the
 * service is the children feature's face to them; its repository stays its own (ADR 7).
 */
export { listDocuments, listPepDocuments, type DocumentRow } from './documents.repository.ts'
