import type { Queryable } from '../db/connection.ts'
import { recordAuditEvent } from './audit-events.ts'

/*
 * A carer invited to a child (issue 20) is linked to that child when they join the child's
 * authority: by setting their password from the emailed link, or, with an account already, by
 * accepting the invitation signed in, or at once when they are a member already. Shared because
 * the account's invitations (account feature) and the carer invitations (children feature) both
 * end here.
 */

/**
 * In the caller's transaction: the person's pending carer invitations to children of this
 * authority are accepted, and each gives them a carer's place on the child's access list,
 * audited as the carer's own acceptance, naming who invited them. Returns the children linked.
 */
export async function linkInvitedCarer(
  trx: Queryable,
  userId: string,
  authorityId: string,
  now: Date,
): Promise<string[]> {
  const pending = await trx
    .selectFrom('carer_invitation as i')
    .innerJoin('child as c', 'c.id', 'i.child_id')
    .select(['i.id', 'i.child_id', 'i.invited_by'])
    .where('i.user_id', '=', userId)
    .where('c.authority_id', '=', authorityId)
    .where('i.accepted_at', 'is', null)
    .where('i.withdrawn_at', 'is', null)
    .orderBy('i.invited_at')
    .orderBy('i.id')
    .execute()
  const linked: string[] = []
  for (const invitation of pending) {
    await trx
      .updateTable('carer_invitation')
      .set({ accepted_at: now })
      .where('id', '=', invitation.id)
      .execute()
    const added = await trx
      .insertInto('child_access')
      .values({
        child_id: invitation.child_id,
        user_id: userId,
        capacity: 'carer',
        added_by: invitation.invited_by,
        added_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['child_id', 'user_id']).where('removed_at', 'is', null).doNothing(),
      )
      .returning('id')
      .executeTakeFirst()
    if (!added) continue
    linked.push(invitation.child_id)
    await recordAuditEvent(trx, {
      occurredAt: now,
      userId,
      actingRole: 'carer',
      authorityId,
      action: 'child.access.add',
      outcome: 'success',
      childId: invitation.child_id,
      subjectUserId: userId,
      details: { capacity: 'carer', via: 'carer-invitation', invitedBy: invitation.invited_by },
    })
  }
  return linked
}
