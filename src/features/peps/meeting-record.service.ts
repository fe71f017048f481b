import type { Database } from '../../db/connection.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { upsertMeetingRecord, type MeetingRecord } from './meeting-record.repository.ts'
import { recordEvent } from './workflow.repository.ts'

export type MeetingRecordRefusal =
  'meeting-record.signed-off' | 'meeting-record.not-invited' | 'meeting-record.changed'

/** What a form saw of the record when it was opened: its last save's time, or '' for none. */
export const seenToken = (recordedAt: Date | undefined) => recordedAt?.toISOString() ?? ''

/**
 * Saves the record of a PEP's meeting, in one transaction with its audit event. Refused once
 * the PEP is signed off (its PDF is kept as it was), and for an attendee or apology that is not
 * one of the PEP's invitees (a stale or altered form), and when someone saved the record after
 * the form was opened (`seen`), so no save overwrites another unseen.
 */
export async function saveMeetingRecord(
  db: Database,
  actor: PersonActor,
  input: { pepId: string; childId: string; record: MeetingRecord; seen: string },
): Promise<Result<{ created: boolean }, MeetingRecordRefusal>> {
  return db.transaction().execute(async (trx) => {
    const pep = await trx
      .selectFrom('pep')
      .select('status')
      .where('id', '=', input.pepId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    if (pep.status === 'signed_off') return refuse('meeting-record.signed-off')
    const current = await trx
      .selectFrom('pep_meeting_record')
      .select('recorded_at')
      .where('pep_id', '=', input.pepId)
      .executeTakeFirst()
    if (seenToken(current?.recorded_at) !== input.seen) return refuse('meeting-record.changed')
    const invited = new Set(
      (
        await trx.selectFrom('pep_invitee').select('id').where('pep_id', '=', input.pepId).execute()
      ).map((r) => r.id),
    )
    const chosen = [...input.record.attendedInviteeIds, ...input.record.apologyInviteeIds]
    if (chosen.some((id) => !invited.has(id))) return refuse('meeting-record.not-invited')
    const created = await upsertMeetingRecord(trx, input.pepId, input.record, {
      userId: actor.userId,
      at: actor.now,
    })
    // In the PEP's own history too: each save, by whom and when (its words are in its revision).
    await recordEvent(trx, {
      pepId: input.pepId,
      kind: created ? 'meeting-recorded' : 'meeting-record-corrected',
      by: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'pep.meeting-record.save',
      childId: input.childId,
      details: {
        pepId: input.pepId,
        created,
        attended: input.record.attendedInviteeIds.length,
        apologies: input.record.apologyInviteeIds.length,
        youngPersonAttended: input.record.youngPersonAttended,
        socialWorkerAttended: input.record.socialWorkerAttended,
      },
    })
    return ok({ created })
  })
}
