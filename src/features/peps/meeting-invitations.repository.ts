import type { Queryable } from '../../db/connection.ts'
import { meetingCalendar } from '../../email/meeting-invitation.ts'
import { enqueueEmail } from '../../email/outbox.repository.ts'
import { meetingInvitationEmail } from '../../email/pep-emails.ts'

/*
 * A PEP meeting's invitation goes to each invitee when the PEP starts with a meeting date and
 * time, and again, as an update of the same calendar event, each time the meeting moves. It is
 * written to the outbox in the caller's transaction.
 */

export async function inviteToMeeting(
  trx: Queryable,
  input: { pepId: string; invitedBy: string; at: Date; baseUrl: string },
): Promise<number> {
  const pep = await trx
    .selectFrom('pep')
    .select(['meeting_on', 'meeting_time', 'meeting_location', 'child_id'])
    .where('id', '=', input.pepId)
    .executeTakeFirstOrThrow()
  if (!pep.meeting_on || !pep.meeting_time) return 0
  const [invitees, organiser, moves] = await Promise.all([
    trx
      .selectFrom('pep_invitee')
      .leftJoin('app_user', 'app_user.id', 'pep_invitee.user_id')
      .select([
        'pep_invitee.email as outsideEmail',
        'app_user.email as userEmail',
        'app_user.display_name as name',
      ])
      .where('pep_invitee.pep_id', '=', input.pepId)
      .execute(),
    trx
      .selectFrom('app_user')
      .select(['email', 'display_name as name'])
      .where('id', '=', input.invitedBy)
      .executeTakeFirstOrThrow(),
    trx
      .selectFrom('pep_event')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('pep_id', '=', input.pepId)
      .where('kind', '=', 'meeting-rescheduled')
      .executeTakeFirstOrThrow(),
  ])
  const sequence = Number(moves.count)
  const url = `${input.baseUrl}/`
  const calendar = meetingCalendar({
    pepId: input.pepId,
    sequence,
    date: pep.meeting_on,
    time: pep.meeting_time,
    location: pep.meeting_location,
    url,
    organiser: { name: organiser.name, email: organiser.email },
    now: input.at,
  })
  for (const invitee of invitees) {
    const to = invitee.userEmail ?? invitee.outsideEmail
    if (!to) continue
    const message = meetingInvitationEmail({
      to,
      name: invitee.name ?? undefined,
      date: pep.meeting_on,
      time: pep.meeting_time,
      location: pep.meeting_location,
      invitedBy: organiser.name,
      rescheduled: sequence > 0,
      // Someone outside OpenPEP has no account to sign in to.
      url: invitee.userEmail ? url : undefined,
      calendar,
    })
    await enqueueEmail(trx, message, input.at, { childId: pep.child_id })
  }
  return invitees.length
}
