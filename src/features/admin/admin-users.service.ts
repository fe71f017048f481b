import type { Database, Queryable } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import type { AuditAction } from '../../domain/audit.ts'
import { isVirtualSchoolRole, type Role } from '../../domain/roles.ts'
import { recordAuditEvent } from '../audit/audit.repository.ts'
import { endAccess } from '../children/child-access.repository.ts'
import {
  inviteUser,
  lockAccount,
  sendInvitation,
  type InviteUserResult,
} from '../account/invitations.service.ts'
import type { CurrentUser } from '../users/users.repository.ts'
import { authoritiesFor, findUserInScope, type ManagedUser } from './admin-scope.ts'
import { otherActiveAdmins } from './admin-users.repository.ts'

/*
 * Every change an administrator makes, each in one transaction with its audit event.
 *
 * How the trail is split: the pages (GET) are audited by their route (`admin.user.view` and so
 * on, written by the access plugin). The changes (POST) declare `audit: RECORDED_IN_TRANSACTION` on the route,
 * because the plugin's event is written before the handler runs, outside the change's
 * transaction and without knowing what happened; instead the functions here write one event
 * per change, inside its transaction and with the facts (which role, which authority, which
 * child). A change refused by a rule (the last administrator, yourself) is recorded with
 * outcome 'failure'; a user outside the administrator's authorities is recorded by the route
 * as 'access.denied' (on a GET, just after the route's own view event, which the plugin writes
 * before the scope can be checked).
 */

export interface AdminActor {
  user: CurrentUser
  actingRole: Role | null
  now: Date
  request: {
    ip: string
    userAgent: string | null
    requestId: string
    method: string
    path: string
  }
}

type Refusal = 'not-found' | 'self' | 'last-admin'

/**
 * Why an account-wide change (deactivating, reactivating, resetting two-step verification) is
 * not this administrator's to make (ADR 9): 'roles-elsewhere', the person also holds a role in
 * an authority the administrator does not run, so each authority can only remove its own roles;
 * 'pending', they have not accepted the invitation, so there is no member to change (withdraw
 * the invitation instead).
 */
export type AccountWideRefusal = 'roles-elsewhere' | 'pending'

function accountWideRefusal(user: ManagedUser): AccountWideRefusal | undefined {
  if (!user.joined) return 'pending'
  if (user.rolesElsewhere) return 'roles-elsewhere'
  return undefined
}

async function audit(
  db: Queryable,
  actor: AdminActor,
  event: {
    action: AuditAction
    outcome?: 'success' | 'failure'
    subjectUserId: string
    authorityId?: string | null
    childId?: string | null
    details?: Record<string, unknown>
  },
): Promise<void> {
  await recordAuditEvent(db, {
    occurredAt: actor.now,
    userId: actor.user.id,
    actingRole: actor.actingRole,
    authorityId: event.authorityId ?? null,
    action: event.action,
    outcome: event.outcome ?? 'success',
    subjectUserId: event.subjectUserId,
    childId: event.childId ?? null,
    method: actor.request.method,
    path: actor.request.path,
    ip: actor.request.ip,
    userAgent: actor.request.userAgent,
    requestId: actor.request.requestId,
    details: event.details ?? {},
  })
}

/**
 * Opens the transaction, finds the user within the administrator's authorities, and runs the
 * change. The account's row is locked first, as joining an authority locks it, so what the change
 * decides from (roles elsewhere, say) cannot change under it: two authorities' administrators
 * acting on one person, or the person accepting an invitation meanwhile, take turns.
 */
async function withUserInScope<T>(
  db: Database,
  actor: AdminActor,
  userId: string,
  change: (trx: Queryable, user: ManagedUser) => Promise<T>,
): Promise<T | 'not-found'> {
  return db.transaction().execute(async (trx) => {
    if (!isUuid(userId)) return 'not-found'
    await lockAccount(trx, userId)
    const user = await findUserInScope(trx, actor.user, userId)
    if (!user) return 'not-found'
    return change(trx, user)
  })
}

export interface NewUserInput {
  email: string
  displayName: string
  authorityId: string
  role: Role
  schoolId: string | null
}

/** Invites a new user, or gives an existing account the role, in one of the administrator's authorities. */
export async function addUser(
  db: Database,
  actor: AdminActor,
  input: NewUserInput,
  baseUrl: string,
): Promise<InviteUserResult | { kind: 'not-found' }> {
  if (!authoritiesFor(actor.user, 'admin.users').includes(input.authorityId))
    return { kind: 'not-found' }
  return inviteUser(db, {
    ...input,
    invitedBy: {
      id: actor.user.id,
      displayName: actor.user.displayName,
      actingRole: actor.actingRole,
    },
    baseUrl,
    now: actor.now,
    request: {
      ip: actor.request.ip,
      userAgent: actor.request.userAgent,
      requestId: actor.request.requestId,
    },
  })
}

export async function addRole(
  db: Database,
  actor: AdminActor,
  userId: string,
  input: { authorityId: string; role: Role; schoolId: string | null },
): Promise<'added' | 'already-has-role' | 'not-member' | 'not-found'> {
  if (!authoritiesFor(actor.user, 'admin.users').includes(input.authorityId)) return 'not-found'
  return withUserInScope(db, actor, userId, async (trx, user) => {
    // Only a member of the authority gains a role there directly; anyone else joins by
    // accepting an invitation (ADR 9), so a role cannot attach an account of another authority.
    const member = await trx
      .selectFrom('authority_member')
      .select('user_id')
      .where('user_id', '=', user.id)
      .where('authority_id', '=', input.authorityId)
      .where('joined_at', 'is not', null)
      .executeTakeFirst()
    if (!member) return 'not-member'
    const added = await trx
      .insertInto('membership')
      .values({
        user_id: user.id,
        authority_id: input.authorityId,
        role: input.role,
        school_id: input.schoolId,
      })
      .onConflict((oc) => oc.columns(['user_id', 'authority_id', 'role']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!added) return 'already-has-role'
    await audit(trx, actor, {
      action: 'admin.user.membership',
      subjectUserId: user.id,
      authorityId: input.authorityId,
      details: { change: 'added', role: input.role, schoolId: input.schoolId },
    })
    return 'added'
  })
}

/**
 * Takes a role away. Refused for an administrator's own vs_admin role (they could lock
 * themselves out) and for the last active vs_admin of an authority (nobody could manage it).
 */
export async function removeRole(
  db: Database,
  actor: AdminActor,
  userId: string,
  membershipId: string,
): Promise<{ result: 'removed' | Refusal; membership?: ManagedUser['memberships'][number] }> {
  const outcome = await withUserInScope(db, actor, userId, async (trx, user) => {
    const membership = user.memberships.find((m) => m.id === membershipId)
    if (!membership) return { result: 'not-found' as const }
    const refuse = async (reason: 'self' | 'last-admin') => {
      await audit(trx, actor, {
        action: 'admin.user.membership',
        outcome: 'failure',
        subjectUserId: user.id,
        authorityId: membership.authorityId,
        details: { change: 'removed', role: membership.role, refused: reason },
      })
      return { result: reason, membership }
    }
    if (membership.role === 'vs_admin') {
      if (user.id === actor.user.id) return refuse('self')
      if ((await otherActiveAdmins(trx, membership.authorityId, user.id)) === 0)
        return refuse('last-admin')
    }
    await trx.deleteFrom('membership').where('id', '=', membership.id).execute()
    // The places on children's lists that rested on the role end with it (ADR 8).
    await endAccess(trx, {
      reason: 'role_removed',
      userId: user.id,
      authorityId: membership.authorityId,
      at: actor.now,
      by: actor.user.id,
    })
    await audit(trx, actor, {
      action: 'admin.user.membership',
      subjectUserId: user.id,
      authorityId: membership.authorityId,
      details: { change: 'removed', role: membership.role, schoolId: membership.schoolId },
    })
    return { result: 'removed' as const, membership }
  })
  return outcome === 'not-found' ? { result: 'not-found' } : outcome
}

/**
 * Removes a person from one of the administrator's authorities: every role they hold there, in
 * one transaction, with the places on children's lists that rested on them (ADR 9: what an
 * authority can always do for its own part, even when the account is not its alone). They stay
 * in the authority's list with no roles. Refused, removing nothing, for an administrator's own
 * vs_admin role and for the last active vs_admin of the authority.
 */
export async function removeFromAuthority(
  db: Database,
  actor: AdminActor,
  userId: string,
  authorityId: string,
): Promise<{ result: 'removed' | Refusal; authorityName?: string; removed?: number }> {
  if (!authoritiesFor(actor.user, 'admin.users').includes(authorityId))
    return { result: 'not-found' }
  const outcome = await withUserInScope(db, actor, userId, async (trx, user) => {
    const here = user.memberships.filter((m) => m.authorityId === authorityId)
    if (here.length === 0) return { result: 'not-found' as const }
    const authorityName = here[0]!.authorityName
    if (here.some((m) => m.role === 'vs_admin')) {
      const reason =
        user.id === actor.user.id
          ? ('self' as const)
          : (await otherActiveAdmins(trx, authorityId, user.id)) === 0
            ? ('last-admin' as const)
            : undefined
      if (reason) {
        await audit(trx, actor, {
          action: 'admin.user.membership',
          outcome: 'failure',
          subjectUserId: user.id,
          authorityId,
          details: { change: 'removed-from-authority', refused: reason },
        })
        return { result: reason, authorityName }
      }
    }
    await trx
      .deleteFrom('membership')
      .where('user_id', '=', user.id)
      .where('authority_id', '=', authorityId)
      .execute()
    // The places on children's lists that rested on the roles end with them (ADR 8).
    await endAccess(trx, {
      reason: 'role_removed',
      userId: user.id,
      authorityId,
      at: actor.now,
      by: actor.user.id,
    })
    for (const membership of here)
      await audit(trx, actor, {
        action: 'admin.user.membership',
        subjectUserId: user.id,
        authorityId,
        details: {
          change: 'removed',
          role: membership.role,
          schoolId: membership.schoolId,
          via: 'removed-from-authority',
        },
      })
    return { result: 'removed' as const, authorityName, removed: here.length }
  })
  return outcome === 'not-found' ? { result: 'not-found' } : outcome
}

/**
 * Deactivates an account and ends every session it has at once. Refused for yourself, and for
 * the only active administrator of an authority.
 */
export async function deactivateUser(
  db: Database,
  actor: AdminActor,
  userId: string,
): Promise<'deactivated' | 'already' | Refusal | AccountWideRefusal> {
  return withUserInScope(db, actor, userId, async (trx, user) => {
    if (user.status === 'deactivated') return 'already'
    const refuse = async (reason: 'self' | 'last-admin' | AccountWideRefusal) => {
      await audit(trx, actor, {
        action: 'admin.user.deactivate',
        outcome: 'failure',
        subjectUserId: user.id,
        details: { refused: reason },
      })
      return reason
    }
    if (user.id === actor.user.id) return refuse('self')
    const notOurs = accountWideRefusal(user)
    if (notOurs) return refuse(notOurs)
    if (user.status === 'active') {
      const adminOf = await trx
        .selectFrom('membership')
        .select('authority_id')
        .where('user_id', '=', user.id)
        .where('role', '=', 'vs_admin')
        .execute()
      for (const { authority_id } of adminOf) {
        if ((await otherActiveAdmins(trx, authority_id, user.id)) === 0) return refuse('last-admin')
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
      by: actor.user.id,
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
    return 'deactivated'
  })
}

/** Lets a deactivated account back in: active again if it has a password, otherwise still invited. */
export async function reactivateUser(
  db: Database,
  actor: AdminActor,
  userId: string,
): Promise<'active' | 'invited' | 'already' | 'not-found' | AccountWideRefusal> {
  return withUserInScope(db, actor, userId, async (trx, user) => {
    if (user.status !== 'deactivated') return 'already'
    const notOurs = accountWideRefusal(user)
    if (notOurs) {
      await audit(trx, actor, {
        action: 'admin.user.reactivate',
        outcome: 'failure',
        subjectUserId: user.id,
        details: { refused: notOurs },
      })
      return notOurs
    }
    const row = await trx
      .selectFrom('app_user')
      .select('password_hash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow()
    const status = row.password_hash ? 'active' : 'invited'
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
    return status
  })
}

/**
 * For someone who has lost their authenticator: clears the secret and the recovery codes and
 * ends their sessions, so they set two-step verification up again at their next sign-in.
 */
export async function resetTwoStepVerification(
  db: Database,
  actor: AdminActor,
  userId: string,
): Promise<'reset' | 'not-found' | AccountWideRefusal> {
  return withUserInScope(db, actor, userId, async (trx, user) => {
    const notOurs = accountWideRefusal(user)
    if (notOurs) {
      await audit(trx, actor, {
        action: 'admin.user.reset-mfa',
        outcome: 'failure',
        subjectUserId: user.id,
        details: { refused: notOurs },
      })
      return notOurs
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
    return 'reset' as const
  })
}

/**
 * The invitation again, for someone who has not accepted yet: a fresh link for someone who has
 * never set a password (the old link stops working), or a reminder to sign in and accept.
 */
export async function resendInvitation(
  db: Database,
  actor: AdminActor,
  userId: string,
  baseUrl: string,
): Promise<'sent' | 'not-invited' | 'not-found'> {
  return withUserInScope(db, actor, userId, async (trx, user) => {
    if (user.status !== 'invited') return 'not-invited'
    const pendingIn = [...new Set(user.roleOffers.map((o) => o.authorityId))]
    const authorityId = pendingIn[0] ?? user.authorityIds[0]!
    if (pendingIn.length > 0)
      await trx
        .updateTable('authority_member')
        .set({ invited_at: actor.now, invited_by: actor.user.id })
        .where('user_id', '=', user.id)
        .where('authority_id', '=', authorityId)
        .where('joined_at', 'is', null)
        .execute()
    await sendInvitation(trx, {
      userId: user.id,
      authorityId,
      invitedBy: { id: actor.user.id, displayName: actor.user.displayName },
      baseUrl,
      now: actor.now,
    })
    await audit(trx, actor, {
      action: 'admin.user.invite',
      subjectUserId: user.id,
      authorityId,
      details: { result: 'resent' },
    })
    return 'sent'
  })
}

/**
 * Withdraws an invitation not yet accepted, in the administrator's authorities: the person
 * leaves their list, and the roles offered go. If nothing else invited the address, its emailed
 * link stops working too. The same for a new address and an existing account (ADR 9).
 */
export async function withdrawInvitation(
  db: Database,
  actor: AdminActor,
  userId: string,
): Promise<'withdrawn' | 'not-invited' | 'not-found'> {
  return withUserInScope(db, actor, userId, async (trx, user) => {
    const withdrawn = await trx
      .deleteFrom('authority_member')
      .where('user_id', '=', user.id)
      .where('authority_id', 'in', authoritiesFor(actor.user, 'admin.users'))
      .where('joined_at', 'is', null)
      .returning('authority_id')
      .execute()
    if (withdrawn.length === 0) return 'not-invited'
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
    return 'withdrawn'
  })
}

export type AddChildAccessResult =
  | { result: 'added'; childName: string }
  | { result: 'no-such-child' | 'capacity' | 'already' | 'not-found' }

/**
 * Puts a user on a child's access list, in one of the roles they hold in the child's authority.
 * The child is found by case reference among the administrator's authorities only.
 */
export async function addChildAccess(
  db: Database,
  actor: AdminActor,
  userId: string,
  input: { caseReference: string; capacity: Role },
): Promise<AddChildAccessResult> {
  const outcome = await withUserInScope(
    db,
    actor,
    userId,
    async (trx, user): Promise<AddChildAccessResult> => {
      const children = await trx
        .selectFrom('child')
        .select(['id', 'authority_id', 'first_name', 'last_name'])
        .where('authority_id', 'in', authoritiesFor(actor.user, 'admin.users'))
        .where((eb) =>
          eb(eb.fn('upper', ['case_reference']), '=', input.caseReference.toUpperCase()),
        )
        .execute()
      const child = children[0]
      if (!child || children.length > 1) return { result: 'no-such-child' }
      const holds = user.memberships.some(
        (m) => m.authorityId === child.authority_id && m.role === input.capacity,
      )
      if (!holds || isVirtualSchoolRole(input.capacity) || input.capacity === 'auditor')
        return { result: 'capacity' }
      const added = await trx
        .insertInto('child_access')
        .values({
          child_id: child.id,
          user_id: user.id,
          capacity: input.capacity,
          added_by: actor.user.id,
          added_at: actor.now,
        })
        .onConflict((oc) =>
          oc.columns(['child_id', 'user_id']).where('removed_at', 'is', null).doNothing(),
        )
        .returning('id')
        .executeTakeFirst()
      if (!added) return { result: 'already' }
      await audit(trx, actor, {
        action: 'admin.child-access.change',
        subjectUserId: user.id,
        authorityId: child.authority_id,
        childId: child.id,
        details: { change: 'added', capacity: input.capacity, childAccessId: added.id },
      })
      return { result: 'added', childName: `${child.first_name} ${child.last_name}` }
    },
  )
  return outcome === 'not-found' ? { result: 'not-found' } : outcome
}

/** Takes a user off a child's access list; the row stays, with who removed it and when, as history. */
export async function removeChildAccess(
  db: Database,
  actor: AdminActor,
  userId: string,
  accessId: string,
): Promise<{ result: 'removed'; childName: string } | { result: 'not-found' }> {
  if (!isUuid(accessId)) return { result: 'not-found' }
  const outcome = await withUserInScope(db, actor, userId, async (trx, user) => {
    const row = await trx
      .selectFrom('child_access as ca')
      .innerJoin('child as c', 'c.id', 'ca.child_id')
      .select([
        'ca.id',
        'ca.capacity',
        'c.id as childId',
        'c.authority_id',
        'c.first_name',
        'c.last_name',
      ])
      .where('ca.id', '=', accessId)
      .where('ca.user_id', '=', user.id)
      .where('ca.removed_at', 'is', null)
      .where('c.authority_id', 'in', authoritiesFor(actor.user, 'admin.users'))
      .forUpdate('ca')
      .executeTakeFirst()
    if (!row) return { result: 'not-found' as const }
    await trx
      .updateTable('child_access')
      .set({ removed_at: actor.now, removed_by: actor.user.id })
      .where('id', '=', row.id)
      .execute()
    await audit(trx, actor, {
      action: 'admin.child-access.change',
      subjectUserId: user.id,
      authorityId: row.authority_id,
      childId: row.childId,
      details: { change: 'removed', capacity: row.capacity, childAccessId: row.id },
    })
    return { result: 'removed' as const, childName: `${row.first_name} ${row.last_name}` }
  })
  return outcome === 'not-found' ? { result: 'not-found' } : outcome
}
