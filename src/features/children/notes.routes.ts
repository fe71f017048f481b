import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { validateForm, type FormErrors } from '../../forms/validation.ts'
import { pageNumber, paginate } from '../../views/pagination.ts'
import { childPageModel, refuseIfReadOnly } from '../../shared/child-header.ts'
import { listNotes } from './notes.repository.ts'
import { presentNotes } from './notes.presenter.ts'
import { addChildNote } from './notes.service.ts'
import { actorFrom } from '../../shared/actor.ts'
import { NOTE_MAX_LENGTH, noteSchema } from './notes.schemas.ts'
import { keptText, RESTORED_FORM_NOTICE } from '../../shared/restored-form.ts'

const PAGE_SIZE = 20

type NoteBody = { kind?: string; body?: string }

export const notesRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { values: NoteBody; errors?: FormErrors; status?: number; restored?: boolean },
  ) {
    const child = request.child!
    const page = pageNumber((request.query as { page?: string }).page)
    const notes = await listNotes(db, child.id, {
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
    })
    return reply.code(form.status ?? 200).render('children/views/notes.njk', {
      ...childPageModel(request, 'notes'),
      ...presentNotes(child, notes.rows),
      total: notes.total,
      pagination: paginate(page, PAGE_SIZE, notes.total, paths.children.notes(child.id)),
      maxLength: NOTE_MAX_LENGTH,
      values: form.values,
      errors: form.errors,
      formRestored: form.restored ? RESTORED_FORM_NOTICE : undefined,
    })
  }

  app.get<{ Params: { childId: string }; Querystring: { page?: string } }>(
    paths.children.notes(':childId'),
    {
      config: {
        access: { action: 'child.view', child: true, reads: 'notes' },
        audit: 'child.notes.view',
      },
    },
    async (request, reply) => {
      // A note sent after the session ended comes back once, filled in, never saved unseen.
      const kept = await reply.takeUnsavedForm()
      if (kept)
        return render(request, reply, {
          values: { kind: keptText(kept, 'kind'), body: keptText(kept, 'body') },
          restored: true,
        })
      return render(request, reply, { values: {} })
    },
  )

  app.post<{ Params: { childId: string }; Body: NoteBody }>(
    paths.children.notes(':childId'),
    {
      config: {
        access: { action: 'child.notes.add', child: true, reads: 'notes' },
        audit: RECORDED_IN_TRANSACTION,
      },
    },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const values = {
        kind: request.body?.kind,
        body: typeof request.body?.body === 'string' ? request.body.body : '',
      }
      const form = validateForm(noteSchema, values, { kind: 'kind' })
      if (!form.ok) return render(request, reply, { values, errors: form.errors, status: 400 })
      const child = request.child!
      await addChildNote(db, actorFrom(request, clock), {
        childId: child.id,
        kind: form.value.kind,
        body: form.value.body,
      })
      request.flash('success', 'Note added')
      return reply.redirect(paths.children.notes(child.id), 303)
    },
  )
}
