import { acceptUploads } from '../../plugins/uploads.ts'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { childPageModel, refuseIfReadOnly } from '../../shared/child-header.ts'
import { listDocuments } from './documents.repository.ts'
import { decorateChildDocument, documentOf, loadDocument } from './document-context.ts'
import { ALLOWED_DOCUMENT_NAMES, DOCUMENT_MAX_BYTES } from '../../domain/documents.ts'
import { attachmentDisposition } from '../../shared/download.ts'
import { formatSize, readDocumentForm } from './documents.form.ts'
import { addDocument } from './documents.service.ts'
import { presentDocuments } from './documents.presenter.ts'

type UploadBody = Record<string, unknown>

export const documentsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  await acceptUploads(app, DOCUMENT_MAX_BYTES)
  decorateChildDocument(app)

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { title?: string; errors?: FormErrors; status?: number },
  ) {
    const child = request.child!
    const documents = await listDocuments(db, child.id)
    return reply.code(form.status ?? 200).render('children/views/documents.njk', {
      ...childPageModel(request, 'documents'),
      ...presentDocuments(child, documents),
      allowed: ALLOWED_DOCUMENT_NAMES,
      maxSize: formatSize(DOCUMENT_MAX_BYTES),
      values: { title: form.title ?? '' },
      errors: form.errors,
    })
  }

  app.get<{ Params: { childId: string } }>(
    paths.children.documents(':childId'),
    {
      config: {
        access: { action: 'child.view', child: true, reads: 'documents' },
        audit: 'child.documents.view',
      },
    },
    async (request, reply) => render(request, reply, {}),
  )

  app.post<{ Params: { childId: string }; Body: UploadBody }>(
    paths.children.documents(':childId'),
    {
      config: {
        access: { action: 'child.documents.add', child: true, reads: 'documents' },
        audit: RECORDED_IN_TRANSACTION,
      },
    },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const child = request.child!
      const form = await readDocumentForm(request.body, { askKind: false })
      if (!form.value)
        return render(request, reply, { title: form.typed.title, errors: form.errors, status: 400 })
      await addDocument(db, actorFrom(request, clock), { childId: child.id, upload: form.value })
      const title = form.value.title
      request.flash('success', `${title} uploaded`)
      return reply.redirect(paths.children.documents(child.id), 303)
    },
  )

  app.get<{ Params: { childId: string; documentId: string } }>(
    paths.children.document(':childId', ':documentId'),
    {
      config: {
        access: { action: 'child.view', child: true, reads: 'documents' },
        audit: 'child.document.download',
      },
      preHandler: loadDocument(db),
    },
    async (request, reply) => {
      const doc = documentOf(request)
      return reply
        .header('content-type', doc.content_type)
        .header('content-disposition', attachmentDisposition(doc.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(doc.content)
    },
  )
}
