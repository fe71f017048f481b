import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { acceptUploads } from '../../plugins/uploads.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { reachesRecord, refuseIfReadOnly } from '../../shared/child-header.ts'
import { formatSize, readDocumentForm, type TypedDocument } from '../children/documents.form.ts'
import { listDocuments, listPepDocuments } from '../children/documents.service.ts'
import {
  ALLOWED_DOCUMENT_NAMES,
  DOCUMENT_KINDS,
  DOCUMENT_MAX_BYTES,
} from '../../domain/documents.ts'
import { addDocument, attachRecordDocument } from '../children/documents.service.ts'
import { readLinkForm } from './documents.form.ts'
import {
  LINK_REFUSALS,
  pepDocumentRows,
  pepDocumentsTitle,
  signedOffRefusal,
} from './documents.presenter.ts'
import { pepOf, pepPageModel } from './pep-context.ts'
import { pepTitle } from './pep.presenter.ts'
import { canAct } from '../../domain/permissions.ts'

type Params = { childId: string; pepId: string }

/*
 * Documents attached to a PEP (an EHC plan, a support plan): each is one of the child's
 * documents, kept on the record, linked to the PEP. Whoever may not read the child's documents
 * (the carer, the young person) is refused these pages as they are the record's (ADR 10).
 */
export const pepDocumentsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  await acceptUploads(app, DOCUMENT_MAX_BYTES)

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    form: {
      typed?: TypedDocument
      errors?: FormErrors
      status?: number
      link?: { documentId: string; kind: string; errors?: FormErrors; refusal?: string }
    },
  ) {
    const pep = pepOf(request)
    const child = request.child!
    const [documents, onRecord] = await Promise.all([
      listPepDocuments(db, child.id, pep.id),
      listDocuments(db, child.id),
    ])
    const mayAttach =
      request.actingRole !== null &&
      canAct([request.actingRole], 'child.documents.add') &&
      reachesRecord(request) &&
      child.status !== 'ceased' &&
      pep.status !== 'signed_off'
    return reply.code(form.status ?? 200).render('peps/views/documents.njk', {
      ...pepPageModel(request),
      pageTitle: pepDocumentsTitle(pepTitle(pep), `${child.firstName} ${child.lastName}`),
      documents: pepDocumentRows(child.id, documents),
      mayAttach,
      signedOff: pep.status === 'signed_off',
      signedOffText: signedOffRefusal,
      recordDocumentsHref: reachesRecord(request) ? paths.children.documents(child.id) : undefined,
      action: paths.peps.documents(child.id, pep.id),
      kinds: DOCUMENT_KINDS.map((k) => ({
        value: k.value,
        text: k.text,
        checked: form.typed?.kind === k.value,
      })),
      allowed: ALLOWED_DOCUMENT_NAMES,
      maxSize: formatSize(DOCUMENT_MAX_BYTES),
      values: { title: form.typed?.title ?? '' },
      // One error summary for either form: their fields' names differ.
      errors: form.errors ?? form.link?.errors,
      // Documents already on the record, not yet attached to a PEP, to attach from there.
      recordDocuments: onRecord
        .filter((d) => d.pepId === null)
        .map((d) => ({
          value: d.id,
          text: d.title,
          hint: { text: `${d.filename}, uploaded by ${d.uploadedByName}` },
          checked: form.link?.documentId === d.id,
        })),
      linkAction: paths.peps.linkDocument(child.id, pep.id),
      linkKinds: DOCUMENT_KINDS.map((k) => ({
        value: k.value,
        text: k.text,
        checked: form.link?.kind === k.value,
      })),
      linkRefusal: form.link?.refusal,
    })
  }

  app.get<{ Params: Params }>(
    paths.peps.documents(':childId', ':pepId'),
    {
      config: {
        access: { action: 'pep.view', child: true, reads: 'documents' },
        audit: 'pep.documents.view',
      },
    },
    async (request, reply) => render(request, reply, {}),
  )

  app.post<{ Params: Params; Body: Record<string, unknown> }>(
    paths.peps.documents(':childId', ':pepId'),
    {
      config: {
        access: { action: 'child.documents.add', child: true, reads: 'documents' },
        audit: RECORDED_IN_TRANSACTION,
      },
    },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const pep = pepOf(request)
      const form = await readDocumentForm(request.body, { askKind: true })
      if (pep.status === 'signed_off')
        return render(request, reply, { typed: form.typed, status: 409 })
      if (!form.value)
        return render(request, reply, { typed: form.typed, errors: form.errors, status: 400 })
      await addDocument(db, actorFrom(request, clock), {
        childId: pep.childId,
        pepId: pep.id,
        upload: form.value,
      })
      request.flash('success', `${form.value.title} attached to this PEP and kept on the record`)
      return reply.redirect(paths.peps.documents(pep.childId, pep.id), 303)
    },
  )

  app.post<{ Params: Params; Body: Record<string, unknown> }>(
    paths.peps.linkDocument(':childId', ':pepId'),
    {
      config: {
        access: { action: 'child.documents.add', child: true, reads: 'documents' },
        audit: RECORDED_IN_TRANSACTION,
      },
    },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const pep = pepOf(request)
      const form = readLinkForm(request.body)
      if (!form.ok)
        return render(request, reply, {
          status: 400,
          link: { ...form.typed, errors: form.errors },
        })
      const linked = await attachRecordDocument(db, actorFrom(request, clock), {
        childId: pep.childId,
        pepId: pep.id,
        ...form.value,
      })
      if (!linked.ok)
        return render(request, reply, {
          status: 409,
          link: { ...form.typed, refusal: LINK_REFUSALS[linked.error.code] },
        })
      request.flash('success', `${linked.value.title} attached to this PEP`)
      return reply.redirect(paths.peps.documents(pep.childId, pep.id), 303)
    },
  )
}
