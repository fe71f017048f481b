import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import { validateChild } from '../../domain/child-validation.ts'
import type { Clock } from '../../domain/clock.ts'
import { normaliseUpn } from '../../domain/upn.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { refuseIfReadOnly } from '../../shared/child-header.ts'
import { childCoreOf, loadChildCore, readOnlyRefused } from './child-admin-context.ts'
import { conflictTitle, coreSavedMessage, editPageModel } from './child-admin.presenter.ts'
import type { ChildCore } from './child-admin.repository.ts'
import { caseReferenceTaken, upnTaken } from '../../shared/uniqueness.ts'
import { updateChild } from './child-admin.service.ts'
import {
  childFormModel,
  conflictRows,
  hiddenFields,
  readChildForm,
  takenMeanwhile,
  toFormErrors,
  tryAgainErrors,
  typedFromStored,
  type TypedChild,
} from './child.form.ts'

type Body = Record<string, unknown> | undefined

/** Changing a child's core data (school, placement and owner change through their own events). */
export const editChildRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  function renderEdit(
    reply: FastifyReply,
    child: ChildCore,
    typed: TypedChild,
    version: number,
    errors?: FormErrors,
  ) {
    return reply.code(errors ? 400 : 200).render('child-admin/views/child-form.njk', {
      ...editPageModel(child),
      version,
      ...childFormModel({ typed, errors }),
    })
  }

  const preHandler = [readOnlyRefused, loadChildCore(db)]
  const access = { action: 'children.manage', child: true } as const

  app.get<{ Params: { childId: string } }>(
    paths.childAdmin.edit(':childId'),
    { config: { access, audit: 'child.edit.view' }, preHandler },
    async (request, reply) => {
      const child = childCoreOf(request)
      return renderEdit(reply, child, typedFromStored(child), child.version)
    },
  )

  app.post<{ Params: { childId: string }; Body: Body }>(
    paths.childAdmin.edit(':childId'),
    { config: { access, audit: RECORDED_IN_TRANSACTION }, preHandler },
    async (request, reply) => {
      const stored = childCoreOf(request)
      const version = Number(request.body?.version)
      const { raw, typed } = readChildForm(request.body)
      const [taken, upnInUse] = await Promise.all([
        raw.caseReference
          ? caseReferenceTaken(db, stored.authorityId, raw.caseReference, stored.id)
          : false,
        raw.upn ? upnTaken(db, normaliseUpn(raw.upn), stored.id) : false,
      ])
      // School, placement and record owner change through their own events, not this form.
      const result = validateChild(
        { ...raw, school: '', recordOwner: '', placement: '' },
        {
          today: londonDate(clock.now()),
          resolveSchool: () => ({ error: '' }),
          resolveOwner: () => ({ error: '' }),
          caseReferenceTaken: () => taken,
          upnTaken: () => upnInUse,
          storedUpn: stored.upn,
        },
      )
      if (!Number.isInteger(version))
        return renderEdit(reply, stored, typed, stored.version, tryAgainErrors())
      if (!result.ok)
        return renderEdit(reply, stored, typed, version, toFormErrors(result.problems))
      let outcome
      try {
        outcome = await updateChild(db, actorFrom(request, clock), stored.id, version, result.value)
      } catch (error) {
        return renderEdit(reply, stored, typed, version, takenMeanwhile(error, raw))
      }
      if (outcome.kind === 'gone') return reply.notFound()
      if (outcome.kind === 'read-only') {
        // Ceased while this form was open: answer as every other change to a ceased record.
        request.child = { ...request.child!, status: 'ceased' }
        refuseIfReadOnly(request, reply)
        return reply
      }
      if (outcome.kind === 'conflict') {
        const theirs = typedFromStored(outcome.current)
        return reply.code(409).render('child-admin/views/conflict.njk', {
          pageTitle: conflictTitle(stored),
          action: paths.childAdmin.edit(stored.id),
          childHref: paths.children.show(stored.id),
          rows: conflictRows(theirs, typed),
          hidden: hiddenFields(typed),
          version: outcome.current.version,
        })
      }
      request.flash('success', coreSavedMessage(outcome.changed.length))
      return reply.redirect(paths.children.show(stored.id), 303)
    },
  )
}
