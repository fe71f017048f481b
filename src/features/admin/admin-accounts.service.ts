import type { Database } from '../../db/connection.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { endAccess } from '../../shared/child-access.ts'
import { sendInvitation } from '../account/invitations.service.ts'
import { displayNameOf, otherActiveAdmins } from './admin-users.repository.ts'
import {
  accountWideRefusal,
  withUserInScope,
  type AccountWideRefusal,
} from './admin-users.service.ts'

/*
 * What an administrator does to a person's account, each in one transaction with its audit
 * event (ADR 7): deactivating and reactivating it, resetting two-step verification, sending and
 * withdrawing the invitation. `authorityIds` are the authorities the administrator runs, as in
 * admin-users.service.ts. The account-wide changes are refused for a person who is not the
 * administrator's alone (ADR 9).
 */

/**
 * Deactivates an account and ends every session it has at once. Refused for yourself, and for
 * the only active administrator of an authority.
 */
export async function deactivateUser(
  db: Database,
  actor: PersonActor,
  authorityIds: string[],
  userId: string,
): Promise<
  Result<
    'deactivated' | 'already',
    'admin.user.self' | 'admin.user.last-admin' | AccountWideRefusal | 'admin.user.not-found'
  >
> {
  return withUserInScope(db, authorityIds, userId, async (trx, user) => {
    if (user.status === 'deactivated') return ok('already' as const)
    const refused = async (
      reason: 'admin.user.self' | 'admin.user.last-admin' | AccountWideRefusal,
    ) => {
      await audit(trx, actor, {
        action: 'admin.user.deactivate',
        outcome: 'failure',
        subjectUserId: user.id,
        details: { refused: reason.replace('admin.user.', '') },
      })
      return refuse(reason)
    }
    if (user.id === actor.userId) return refused('admin.user.self')
    const notOurs = accountWideRefusal(user)
    if (notOurs) return refused(notOurs)
    if (user.status === 'active') {
      const adminOf = await trx
        .selectFrom('membership')
        .select('authority_id')
        .where('user_id', '=', user.id)
        .where('role', '=', 'vs_admin')
        .execute()
      for (const { authority_id } of adminOf) {
        if ((await otherActiveAdmins(trx, authority_id, user.id)) === 0)
          return refused('admin.user.last-admin')
      }
    }
    await trx
      .updateTable('app_user')
      .set({ status: 'deactivated', updated_at: actor.now })
      .where('id', '=', user.id)
      .execute()
    const ended = await trx.deleteFrom('web_session').where('user_id', '=', user.id).execute()
    // Every place on a child's list ends; reactivating the account does not bring them back (ADR 8).
    await endAccess(trx, {
      reason: 'account_deactivated',
      userId: user.id,
      at: actor.now,
      by: actor.userId,
    })
    // An invitation or reset link already in their inbox must not open the account either.
    await trx
      .updateTable('account_token')
      .set({ used_at: actor.now })
      .where('user_id', '=', user.id)
      .where('used_at', 'is', null)
      .execute()
    await audit(trx, actor, {
      action: 'admin.user.deactivate',
      subjectUserId: user.id,
      details: {
        previousStatus: user.status,
        sessionsEnded: Number(ended[0]?.numDeletedRows ?? 0),
      },
    })
    return ok('deactivated' as const)
  })
}

/** Lets a deactivated account back in: active again if it has a password, otherwise still invited. */
export async function reactivateUser(
  db: Database,
  actor: PersonActor,
  authorityIds: string[],
  userId: string,
): Promise<Result<'active' | 'invited' | 'already', AccountWideRefusal | 'admin.user.not-found'>> {
  return withUserInScope(db, authorityIds, userId, async (trx, user) => {
    if (user.status !== 'deactivated') return ok('already' as const)
    const notOurs = accountWideRefusal(user)
    if (notOurs) {
      await audit(trx, actor, {
        action: 'admin.user.reactivate',
        outcome: 'failure',
        subjectUserId: user.id,
        details: { refused: notOurs.replace('admin.user.', '') },
      })
      return refuse(notOurs)
    }
    const row = await trx
      .selectFrom('app_user')
      .select('password_hash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow()
    const status = row.password_hash ? ('active' as const) : ('invited' as const)
    await trx
      .updateTable('app_user')
      .set({ status, updated_at: actor.now, failed_sign_ins: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute()
    await audit(trx, actor, {
      action: 'admin.user.reactivate',
      subjectUserId: user.id,
      details: { status },
    })
    return ok(status)
  })
}

/**
 * For someone who has lost their authenticator: clears the secret and the recovery codes and
 * ends their sessions, so they set two-step verification up again at their next sign-in.
 */
export async function resetTwoStepVerification(
  db: Database,
  actor: PersonActor,
  authorityIds: string[],
  userId: string,
): Promise<Result<void, AccountWideRefusal | 'admin.user.not-found'>> {
  return withUserInScope(db, authorityIds, userId, async (trx, user) => {
    const notOurs = accountWideRefusal(user)
    if (notOurs) {
      await audit(trx, actor, {
        action: 'admin.user.reset-mfa',
        outcome: 'failure',
        subjectUserId: user.id,
        details: { refused: notOurs.replace('admin.user.', '') },
      })
      return refuse(notOurs)
    }
    await trx
      .updateTable('app_user')
      .set({ mfa_secret: null, mfa_enabled_at: null, updated_at: actor.now })
      .where('id', '=', user.id)
      .execute()
    await trx.deleteFrom('recovery_code').where('user_id', '=', user.id).execute()
    await trx.deleteFrom('web_session').where('user_id', '=', user.id).execute()
    await audit(trx, actor, {
      action: 'admin.user.reset-mfa',
      subjectUserId: user.id,
      details: { wasSetUp: user.mfaEnabledAt !== null },
    })
    return ok(undefined)
  })
}

/**
 * The invitation again, for someone who has not accepted yet: a fresh link for someone who has
 * never set a password (the old link stops working), or a reminder to sign in and accept.
 */
export async function resendInvitation(
  db: Database,
  actor: PersonActor,
  authorityIds: string[],
  userId: string,
  baseUrl: string,
): Promise<Result<'sent' | 'not-invited', 'admin.user.not-found'>> {
  return withUserInScope(db, authorityIds, userId, async (trx, user) => {
    if (user.status !== 'invited') return ok('not-invited' as const)
    const pendingIn = [...new Set(user.roleOffers.map((o) => o.authorityId))]
    const authorityId = pendingIn[0] ?? user.authorityIds[0]!
    if (pendingIn.length > 0)
      await trx
        .updateTable('authority_member')
        .set({ invited_at: actor.now, invited_by: actor.userId })
        .where('user_id', '=', user.id)
        .where('authority_id', '=', authorityId)
        .where('joined_at', 'is', null)
        .execute()
    await sendInvitation(trx, {
      userId: user.id,
      authorityId,
      invitedBy: { id: actor.userId, displayName: await displayNameOf(trx, actor.userId) },
      baseUrl,
      now: actor.now,
    })
    await audit(trx, actor, {
      action: 'admin.user.invite',
      subjectUserId: user.id,
      authorityId,
      details: { result: 'resent' },
    })
    return ok('sent' as const)
  })
}

/**
 * Withdraws an invitation not yet accepted, in the administrator's authorities: the person
 * leaves their list, and the roles offered go. If nothing else invited the address, its emailed
 * link stops working too. The same for a new address and an existing account (ADR 9).
 */
export async function withdrawInvitation(
  db: Database,
  actor: PersonActor,
  authorityIds: string[],
  userId: string,
): Promise<Result<'withdrawn' | 'not-invited', 'admin.user.not-found'>> {
  return withUserInScope(db, authorityIds, userId, async (trx, user) => {
    const withdrawn = await trx
      .deleteFrom('authority_member')
      .where('user_id', '=', user.id)
      .where('authority_id', 'in', authorityIds)
      .where('joined_at', 'is', null)
      .returning('authority_id')
      .execute()
    if (withdrawn.length === 0) return ok('not-invited' as const)
    const elsewhere = await trx
      .selectFrom('authority_member')
      .select('authority_id')
      .where('user_id', '=', user.id)
      .limit(1)
      .executeTakeFirst()
    if (!elsewhere)
      await trx
        .updateTable('account_token')
        .set({ used_at: actor.now })
        .where('user_id', '=', user.id)
        .where('purpose', '=', 'invitation')
        .where('used_at', 'is', null)
        .execute()
    for (const { authority_id } of withdrawn)
      await audit(trx, actor, {
        action: 'admin.user.invitation-withdrawn',
        subjectUserId: user.id,
        authorityId: authority_id,
      })
    return ok('withdrawn' as const)
  })
}
