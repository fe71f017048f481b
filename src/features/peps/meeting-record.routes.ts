import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { canAct } from '../../domain/permissions.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { refuseIfReadOnly } from '../../shared/child-header.ts'
import { readMeetingRecordForm, typedFrom, type TypedMeetingRecord } from './meeting-record.form.ts'
import {
  REFUSALS,
  VIEWS_OPTIONS,
  YOUNG_PERSON_ATTENDED_OPTIONS,
  meetingRecordRows,
  meetingRecordTitle,
  meetingRecordVersionHeading,
} from './meeting-record.presenter.ts'
import { findMeetingRecord, inviteesOf, meetingRecordHistory } from './meeting-record.repository.ts'
import { saveMeetingRecord, seenToken } from './meeting-record.service.ts'
import { pepOf, pepPageModel } from './pep-context.ts'
import { pepTitle } from './pep.presenter.ts'
import { keptText, RESTORED_FORM_NOTICE } from '../../shared/restored-form.ts'

type Params = { childId: string; pepId: string }

/*
 * The record of a PEP's meeting, on a page of its own linked from the PEP's contents: read by
 * staff (RECORD_PARTS 'meeting-record'), written by the professionals who write the PEP until it
 * is signed off.
 */
export const meetingRecordRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    form: {
      typed?: TypedMeetingRecord
      errors?: FormErrors
      status?: number
      refusal?: string
      /** The record's version the form was opened on, kept through a refused save. */
      seen?: string
      /** Shown again after the session ended (issue 15). */
      restored?: boolean
    },
  ) {
    const pep = pepOf(request)
    const child = request.child!
    const [invitees, record, history] = await Promise.all([
      inviteesOf(db, pep.id),
      findMeetingRecord(db, pep.id),
      meetingRecordHistory(db, pep.id),
    ])
    const mayRecord =
      request.actingRole !== null &&
      canAct([request.actingRole], 'pep.meeting.record') &&
      child.status !== 'ceased' &&
      pep.status !== 'signed_off'
    const typed = form.typed ?? typedFrom(record)
    const item = (o: { value: string; text: string }, chosen: string) => ({
      value: o.value,
      text: o.text,
      checked: chosen === o.value,
    })
    return reply.code(form.status ?? 200).render('peps/views/meeting-record.njk', {
      ...pepPageModel(request),
      pageTitle: meetingRecordTitle(pepTitle(pep), `${child.firstName} ${child.lastName}`),
      rows: record ? meetingRecordRows(record, invitees) : null,
      versions: history.map((v) => ({
        heading: meetingRecordVersionHeading(v),
        rows: meetingRecordRows(v, invitees),
      })),
      mayRecord,
      refusal: form.refusal,
      action: paths.peps.meetingRecord(pep.childId, pep.id),
      hasInvitees: invitees.length > 0,
      attendedItems: invitees.map((i) => ({
        value: i.id,
        text: i.name,
        checked: typed.attended.includes(i.id),
      })),
      apologyItems: invitees.map((i) => ({
        value: i.id,
        text: i.name,
        checked: typed.apologies.includes(i.id),
      })),
      youngPersonAttendedItems: YOUNG_PERSON_ATTENDED_OPTIONS.map((o) =>
        item(o, typed.youngPersonAttended),
      ),
      viewsItems: VIEWS_OPTIONS.map((o) => item(o, typed.youngPersonViews)),
      swAttended: typed.socialWorkerAttended,
      values: typed,
      seen: form.seen ?? seenToken(record?.recordedAt),
      errors: form.errors,
      formRestored: form.restored ? RESTORED_FORM_NOTICE : undefined,
    })
  }

  app.get<{ Params: Params }>(
    paths.peps.meetingRecord(':childId', ':pepId'),
    {
      config: {
        access: { action: 'pep.view', child: true, reads: 'meeting-record' },
        audit: 'pep.meeting-record.view',
      },
    },
    async (request, reply) => {
      // A record sent after the session ended comes back once, filled in, never saved unseen.
      const kept = await reply.takeUnsavedForm()
      if (!kept) return render(request, reply, {})
      const invitees = await inviteesOf(db, pepOf(request).id)
      return render(request, reply, {
        typed: readMeetingRecordForm(kept, invitees).typed,
        seen: keptText(kept, 'seen'),
        restored: true,
      })
    },
  )

  app.post<{ Params: Params; Body: Record<string, unknown> }>(
    paths.peps.meetingRecord(':childId', ':pepId'),
    {
      config: {
        access: { action: 'pep.meeting.record', child: true, reads: 'meeting-record' },
        audit: RECORDED_IN_TRANSACTION,
      },
    },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const pep = pepOf(request)
      const invitees = await inviteesOf(db, pep.id)
      const form = readMeetingRecordForm(request.body, invitees)
      const seen = typeof request.body?.['seen'] === 'string' ? request.body['seen'] : ''
      if (!form.value)
        return render(request, reply, {
          typed: form.typed,
          errors: form.errors,
          status: 400,
          seen,
        })
      const saved = await saveMeetingRecord(db, actorFrom(request, clock), {
        pepId: pep.id,
        childId: pep.childId,
        record: form.value,
        seen,
      })
      if (!saved.ok)
        // After "changed", the form now carries the record's new version: saving again is a
        // choice made having been told, not an overwrite unseen.
        return render(request, reply, {
          typed: form.typed,
          status: 409,
          refusal: REFUSALS[saved.error.code],
        })
      request.flash('success', 'Meeting record saved')
      return reply.redirect(paths.peps.contents(pep.childId, pep.id), 303)
    },
  )
}
