import type { Database, Queryable } from '../../db/connection.ts'
import { enqueueEmail } from '../../email/outbox.repository.ts'
import { carerAccessEmail } from '../../email/templates.ts'
import { paths } from '../../paths.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { linkInvitedCarer } from '../../shared/carer-invitations.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { inviteUserIn, sendInvitation } from '../account/invitations.service.ts'
import {
  findPendingInvitation,
  otherPendingInAuthority,
  rolesInAuthority,
} from './carer-invitations.repository.ts'

/*
 * Inviting a carer to a child (issue 20), by the child's social worker or the Virtual School. The
 * account is the authority's own invitation (ADR 9, invitations.service.ts): a new person gets
 * the single-use, expiring link to set their password; a person with an account elsewhere is
 * asked to accept; a carer of the authority already is linked at once and told to sign in. The
 * carer's place on the child's list begins when they join (shared/carer-invitations.ts). Each
 * change is one transaction with its audit event (ADR 7).
 */

export type CarerInvitationRefusal =
  | 'carer-invitation.not-a-carer'
  | 'carer-invitation.already-has-access'
  | 'carer-invitation.already-invited'
  | 'carer-invitation.not-found'

export interface CarerInvitationInput {
  childId: string
  authorityId: string
  name: string
  email: string
  /** The inviter's name, as the email gives it. */
  inviterName: string
  baseUrl: string
}

/** Invites a carer to the child: see the file's comment. */
export async function inviteCarer(
  db: Database,
  actor: PersonActor,
  input: CarerInvitationInput,
): Promise<Result<{ linked: boolean }, CarerInvitationRefusal>> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('app_user')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase()))
      .executeTakeFirst()
    if (existing) {
      const refusal = await refusalFor(trx, existing.id, input)
      if (refusal) {
        await audit(trx, actor, {
          action: 'child.carer.invite',
          outcome: 'failure',
          childId: input.childId,
          subjectUserId: existing.id,
          details: { refused: refusal.replace('carer-invitation.', '') },
        })
        return refuse(refusal)
      }
    }
    const invited = await inviteUserIn(trx, {
      email: input.email,
      displayName: input.name,
      authorityId: input.authorityId,
      role: 'carer',
      schoolId: null,
      invitedBy: {
        id: actor.userId,
        displayName: input.inviterName,
        actingRole: actor.role === 'system' ? null : actor.role,
      },
      baseUrl: input.baseUrl,
      now: actor.now,
      ...(actor.origin
        ? {
            request: {
              ip: actor.origin.ip,
              userAgent: actor.origin.userAgent,
              requestId: actor.origin.requestId,
            },
          }
        : {}),
    })
    await trx
      .insertInto('carer_invitation')
      .values({
        child_id: input.childId,
        user_id: invited.userId,
        invited_name: input.name,
        invited_email: input.email,
        invited_by: actor.userId,
        invited_at: actor.now,
        last_sent_at: actor.now,
      })
      .execute()
    const linked = invited.kind !== 'invited'
    if (linked) {
      // A member of the authority already: a carer's place at once, and an email to sign in.
      await linkInvitedCarer(trx, invited.userId, input.authorityId, actor.now)
      const [user, authority] = await Promise.all([
        trx
          .selectFrom('app_user')
          .select(['email', 'display_name'])
          .where('id', '=', invited.userId)
          .executeTakeFirstOrThrow(),
        trx
          .selectFrom('authority')
          .select('name')
          .where('id', '=', input.authorityId)
          .executeTakeFirstOrThrow(),
      ])
      await enqueueEmail(
        trx,
        carerAccessEmail({
          to: user.email,
          name: user.display_name,
          invitedBy: input.inviterName,
          authorityName: authority.name,
          signInUrl: `${input.baseUrl}${paths.signIn()}`,
        }),
        actor.now,
      )
    }
    await audit(trx, actor, {
      action: 'child.carer.invite',
      childId: input.childId,
      subjectUserId: invited.userId,
      details: { result: invited.kind },
    })
    return ok({ linked })
  })
}

/** Why an address with an account cannot be invited as this child's carer, if it cannot. */
async function refusalFor(
  trx: Queryable,
  userId: string,
  input: Pick<CarerInvitationInput, 'childId' | 'authorityId'>,
): Promise<CarerInvitationRefusal | undefined> {
  // A young person's account is one child (ADR 10); staff of the authority are not its carers.
  const youngPerson = await trx
    .selectFrom('membership')
    .select('id')
    .where('user_id', '=', userId)
    .where('role', '=', 'young_person')
    .executeTakeFirst()
  const roles = await rolesInAuthority(trx, userId, input.authorityId)
  if (youngPerson || roles.some((r) => r !== 'carer')) return 'carer-invitation.not-a-carer'
  const place = await trx
    .selectFrom('child_access')
    .select('id')
    .where('child_id', '=', input.childId)
    .where('user_id', '=', userId)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  if (place) return 'carer-invitation.already-has-access'
  const pending = await trx
    .selectFrom('carer_invitation')
    .select('id')
    .where('child_id', '=', input.childId)
    .where('user_id', '=', userId)
    .where('accepted_at', 'is', null)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst()
  if (pending) return 'carer-invitation.already-invited'
  return undefined
}

/**
 * Sends a waiting invitation again: a fresh link (the earlier one stops working), or for someone
 * with an account, the reminder to accept.
 */
export async function resendCarerInvitation(
  db: Database,
  actor: PersonActor,
  input: {
    childId: string
    authorityId: string
    invitationId: string
    inviterName: string
    baseUrl: string
  },
): Promise<Result<{ name: string }, CarerInvitationRefusal>> {
  return db.transaction().execute(async (trx) => {
    const invitation = await findPendingInvitation(trx, input.childId, input.invitationId)
    if (!invitation) return refuse('carer-invitation.not-found')
    await sendInvitation(trx, {
      userId: invitation.user_id,
      authorityId: input.authorityId,
      invitedBy: { id: actor.userId, displayName: input.inviterName },
      baseUrl: input.baseUrl,
      now: actor.now,
    })
    await trx
      .updateTable('carer_invitation')
      .set({ last_sent_at: actor.now })
      .where('id', '=', invitation.id)
      .execute()
    await audit(trx, actor, {
      action: 'child.carer.invite-resent',
      childId: input.childId,
      subjectUserId: invitation.user_id,
    })
    return ok({ name: invitation.invited_name })
  })
}

/**
 * Withdraws a waiting invitation. When nothing else of the authority waits for the person, the
 * authority's invitation goes too, and a link to set a password no longer works for someone
 * invited nowhere else.
 */
export async function withdrawCarerInvitation(
  db: Database,
  actor: PersonActor,
  input: { childId: string; authorityId: string; invitationId: string },
): Promise<Result<{ name: string }, CarerInvitationRefusal>> {
  return db.transaction().execute(async (trx) => {
    const invitation = await findPendingInvitation(trx, input.childId, input.invitationId)
    if (!invitation) return refuse('carer-invitation.not-found')
    const userId = invitation.user_id
    await trx
      .updateTable('carer_invitation')
      .set({ withdrawn_at: actor.now, withdrawn_by: actor.userId })
      .where('id', '=', invitation.id)
      .execute()
    if (!(await otherPendingInAuthority(trx, userId, input.authorityId, invitation.id))) {
      await trx
        .deleteFrom('role_offer')
        .where('user_id', '=', userId)
        .where('authority_id', '=', input.authorityId)
        .where('role', '=', 'carer')
        .execute()
      const offers = await trx
        .selectFrom('role_offer')
        .select('role')
        .where('user_id', '=', userId)
        .where('authority_id', '=', input.authorityId)
        .execute()
      if (offers.length === 0)
        await trx
          .deleteFrom('authority_member')
          .where('user_id', '=', userId)
          .where('authority_id', '=', input.authorityId)
          .where('joined_at', 'is', null)
          .execute()
      const elsewhere = await trx
        .selectFrom('authority_member')
        .select('authority_id')
        .where('user_id', '=', userId)
        .where('joined_at', 'is', null)
        .limit(1)
        .executeTakeFirst()
      if (!elsewhere)
        await trx
          .updateTable('account_token')
          .set({ used_at: actor.now })
          .where('user_id', '=', userId)
          .where('purpose', '=', 'invitation')
          .where('used_at', 'is', null)
          .execute()
    }
    await audit(trx, actor, {
      action: 'child.carer.invite-withdrawn',
      childId: input.childId,
      subjectUserId: userId,
    })
    return ok({ name: invitation.invited_name })
  })
}
