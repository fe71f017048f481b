import { createHash } from 'node:crypto'
import { acceptUploads, uploadedFile } from '../../plugins/uploads.ts'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { FormProblems, type FormErrors } from '../../plugins/validation.ts'
import { formatDateTime } from '../../views/format.ts'
import { childPageModel, refuseIfReadOnly } from './child-page.ts'
import { findDocument, insertDocument, listDocuments } from './documents.repository.ts'
import {
  ALLOWED_DOCUMENT_NAMES,
  ALLOWED_DOCUMENT_TYPES,
  DOCUMENT_MAX_BYTES,
  attachmentDisposition,
  safeFilename,
} from './documents.rules.ts'
import { isUuid } from '../../domain/ids.ts'

const TITLE_MAX = 200

interface UploadBody {
  _csrf?: string
  title?: string
  file?: unknown
}

export const documentsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  await acceptUploads(app, DOCUMENT_MAX_BYTES)

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { title?: string; errors?: FormErrors; status?: number },
  ) {
    const child = request.child!
    const documents = await listDocuments(db, child.id)
    return reply.code(form.status ?? 200).render('children/views/documents.njk', {
      ...childPageModel(request, 'documents'),
      pageTitle: `Documents – ${child.firstName} ${child.lastName}`,
      documents: documents.map((d) => ({
        title: d.title,
        filename: d.filename,
        size: formatSize(d.sizeBytes),
        uploaded: `${d.uploadedByName}, ${formatDateTime(d.uploadedAt)}`,
        href: paths.children.document(child.id, d.id),
      })),
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
      const body = request.body ?? {}
      const title = typeof body.title === 'string' ? body.title.trim() : ''
      const file = uploadedFile(body.file)
      const problems = new FormProblems()
      const fail = (field: string, text: string) => problems.add(field, text)
      if (!title) fail('title', 'Enter a title for the document')
      else if (title.length > TITLE_MAX)
        fail('title', `The title must be ${TITLE_MAX} characters or fewer`)

      let type: { ext: string; mime: string } | undefined
      if (!file || file.content.length === 0) fail('file', 'Select a file')
      else if (file.truncated)
        fail('file', `The selected file must be smaller than ${formatSize(DOCUMENT_MAX_BYTES)}`)
      else {
        const { fileTypeFromBuffer } = await import('file-type')
        const detected = await fileTypeFromBuffer(file.content)
        if (!detected || ALLOWED_DOCUMENT_TYPES[detected.ext] !== detected.mime) {
          fail('file', `The selected file must be a ${ALLOWED_DOCUMENT_NAMES}`)
        } else type = { ext: detected.ext, mime: detected.mime }
      }
      if (problems.any || !file || !type)
        return render(request, reply, { title, errors: problems.errors, status: 400 })

      const filename = safeFilename(file.filename, type.ext)
      await db.transaction().execute(async (trx) => {
        const doc = await insertDocument(trx, {
          childId: child.id,
          title,
          filename,
          contentType: type.mime,
          content: file.content,
          sha256: createHash('sha256').update(file.content).digest('hex'),
          uploadedBy: request.user!.id,
          at: clock.now(),
        })
        await request.audit(
          {
            action: 'child.document.upload',
            outcome: 'success',
            details: { documentId: doc.id, bytes: file.content.length },
          },
          trx,
        )
      })
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
    },
    async (request, reply) => {
      const { documentId } = request.params
      const doc = isUuid(documentId)
        ? await findDocument(db, request.child!.id, documentId)
        : undefined
      if (!doc) return reply.code(404).render('pages/404.njk')
      return reply
        .header('content-type', doc.content_type)
        .header('content-disposition', attachmentDisposition(doc.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(doc.content)
    },
  )
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`
}
