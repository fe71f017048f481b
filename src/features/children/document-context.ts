import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import { findDocument } from './documents.repository.ts'

/*
 * What a document's download loads from its URL, after the access plugin has proved the child
 * and that the person may read its documents (ADR 10): the document `:documentId` names, which
 * must be that child's; a URL naming none, or another child's, is 404.
 */

export type StoredDocument = NonNullable<Awaited<ReturnType<typeof findDocument>>>

declare module 'fastify' {
  interface FastifyRequest {
    /** On a document's download (`:documentId`): the document, the child's. */
    childDocument: StoredDocument | null
  }
}

/** Lets the documents routes carry the document their URL names (once, where registered). */
export function decorateChildDocument(app: FastifyInstance): void {
  app.decorateRequest('childDocument', null)
}

/** The pre-handler of a document's download: the child's document the URL names, or 404. */
export const loadDocument =
  (db: Database) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { documentId } = request.params as { documentId: string }
    const doc = isUuid(documentId)
      ? await findDocument(db, request.child!.id, documentId)
      : undefined
    if (!doc) return reply.notFound()
    request.childDocument = doc
  }

/** The document the pre-handler loaded. */
export const documentOf = (request: FastifyRequest): StoredDocument => request.childDocument!
