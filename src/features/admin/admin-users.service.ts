import type { Database, Queryable } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import type { Role } from '../../domain/roles.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { endAccess } from '../../shared/child-access.ts'
import { inviteUser, lockAccount, type InviteUserResult } from '../account/invitations.service.ts'
import { findUserInAuthorities, type ManagedUser } from './admin-scope.repository.ts'
import { displayNameOf, otherActiveAdmins } from './admin-users.repository.ts'

/*
 * The roles an administrator gives and takes away, each change in one transaction with its audit
 * event (ADR 7). The accounts (deactivating, two-step verification, invitations) are in
 * admin-accounts.service.ts, the children a user can see in admin-child-access.service.ts.
 *
 * Each takes the actor and `authorityIds`: the authorities the administrator runs (where they
 * hold vs_admin, `authoritiesFor(user, 'admin.users')`), the only ones their changes reach.
 *
 * How the trail is split: the pages (GET) are audited by their route (`admin.user.view` and so
 * on, written by the access plugin). The changes (POST) declare `audit: RECORDED_IN_TRANSACTION`
 * on the route, because the plugin's event is written before the handler runs, outside the
 * change's transaction and without knowing what happened; instead the functions here write one
 * event per change, inside its transaction and with the facts (which role, which authority, which
 * child). A change refused by a rule (the last administrator, yourself) is recorded with
 * outcome 'failure'; a user outside the administrator's authorities is recorded by the user's
 * pre-handler (user-context.ts) as 'access.denied'.
 */

/** Why an administrator's change was refused; user-changes.presenter.ts says it in words. */
export type AdminRefusal =
  /** No such user, role or place in the administrator's authorities (any more): a 404. */
  | 'admin.user.not-found'
  /** Your own administrator role or account. */
  | 'admin.user.self'
  /** The last active administrator of an authority (`authorityName`, when there is one). */
  | 'admin.user.last-admin'
  /** Account-wide, ADR 9: they also hold a role in an authority the administrator does not run. */
  | 'admin.user.roles-elsewhere'
  /** Account-wide: they have not accepted the invitation, so there is no member to change. */
  | 'admin.user.pending'
  /** A role in an authority they have not joined: they join by accepting an invitation. */
  | 'admin.user.not-member'

/** The two account-wide refusals (ADR 9), for a person who is not this administrator's alone. */
export type AccountWideRefusal = 'admin.user.roles-elsewhere' | 'admin.user.pending'

export function accountWideRefusal(user: ManagedUser): AccountWideRefusal | undefined {
  if (!user.joined) return 'admin.user.pending'
  if (user.rolesElsewhere) return 'admin.user.roles-elsewhere'
  return undefined
}

const NOT_FOUND = refuse('admin.user.not-found')

/**
 * Opens the transaction, finds the user within the administrator's authorities, and runs the
 * change. The account's row is locked first, as joining an authority locks it, so what the change
 * decides from (roles elsewhere, say) cannot change under it: two authorities' administrators
 * acting on one person, or the person accepting an invitation meanwhile, take turns.
 */
export async function withUserInScope<T, Code extends string>(
  db: Database,
  authorityIds: string[],
  userId: string,
  change: (trx: Queryable, user: ManagedUser) => Promise<Result<T, Code>>,
): Promise<Result<T, Code | 'admin.user.not-found'>> {
  return db.transaction().execute(async (trx) => {
    if (!isUuid(userId)) return NOT_FOUND
    await lockAccount(trx, userId)
    const user = await findUserInAuthorities(trx, authorityIds, userId)
    if (!user) return NOT_FOUND
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
  actor: PersonActor,
  authorityIds: string[],
  input: NewUserInput,
  baseUrl: string,
): Promise<Result<InviteUserResult, 'admin.user.not-found'>> {
  if (!authorityIds.includes(input.authorityId)) return NOT_FOUND
  const origin = actor.origin
  return ok(
    await inviteUser(db, {
      ...input,
      invitedBy: {
        id: actor.userId,
        displayName: await displayNameOf(db, actor.userId),
        actingRole: actor.role === 'system' ? null : actor.role,
      },
      baseUrl,
      now: actor.now,
      ...(origin
        ? { request: { ip: origin.ip, userAgent: origin.userAgent, requestId: origin.requestId } }
        : {}),
    }),
  )
}

export async function addRole(
  db: Database,
  actor: PersonActor,
  authorityIds: string[],
  userId: string,
  input: { authorityId: string; role: Role; schoolId: string | null },
): Promise<Result<'added' | 'already-has-role', 'admin.user.not-member' | 'admin.user.not-found'>> {
  if (!authorityIds.includes(input.authorityId)) return NOT_FOUND
  return withUserInScope(db, authorityIds, userId, async (trx, user) => {
    // Only a member of the authority gains a role there directly; anyone else joins by
    // accepting an invitation (ADR 9), so a role cannot attach an account of another authority.
    const member = await trx
      .selectFrom('authority_member')
      .select('user_id')
      .where('user_id', '=', user.id)
      .where('authority_id', '=', input.authorityId)
      .where('joined_at', 'is not', null)
      .executeTakeFirst()
    if (!member) return refuse('admin.user.not-member')
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
    if (!added) return ok('already-has-role' as const)
    await audit(trx, actor, {
      action: 'admin.user.membership',
      subjectUserId: user.id,
      authorityId: input.authorityId,
      details: { change: 'added', role: input.role, schoolId: input.schoolId },
    })
    return ok('added' as const)
  })
}

type LastAdminRefusal = 'admin.user.self' | 'admin.user.last-admin'

/**
 * Takes a role away. Refused for an administrator's own vs_admin role (they could lock
 * themselves out) and for the last active vs_admin of an authority (nobody could manage it);
 * refusals carry the authority's name.
 */
export async function removeRole(
  db: Database,
  actor: PersonActor,
  authorityIds: string[],
  userId: string,
  membershipId: string,
): Promise<Result<ManagedUser['memberships'][number], LastAdminRefusal | 'admin.user.not-found'>> {
  return withUserInScope(db, authorityIds, userId, async (trx, user) => {
    const membership = user.memberships.find((m) => m.id === membershipId)
    if (!membership) return NOT_FOUND
    const refused = async (reason: 'self' | 'last-admin') => {
      await audit(trx, actor, {
        action: 'admin.user.membership',
        outcome: 'failure',
        subjectUserId: user.id,
        authorityId: membership.authorityId,
        details: { change: 'removed', role: membership.role, refused: reason },
      })
      return refuse(`admin.user.${reason}` as const, { authorityName: membership.authorityName })
    }
    if (membership.role === 'vs_admin') {
      if (user.id === actor.userId) return refused('self')
      if ((await otherActiveAdmins(trx, membership.authorityId, user.id)) === 0)
        return refused('last-admin')
    }
    await trx.deleteFrom('membership').where('id', '=', membership.id).execute()
    // The places on children's lists that rested on the role end with it (ADR 8).
    await endAccess(trx, {
      reason: 'role_removed',
      userId: user.id,
      authorityId: membership.authorityId,
      at: actor.now,
      by: actor.userId,
    })
    await audit(trx, actor, {
      action: 'admin.user.membership',
      subjectUserId: user.id,
      authorityId: membership.authorityId,
      details: { change: 'removed', role: membership.role, schoolId: membership.schoolId },
    })
    return ok(membership)
  })
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
  actor: PersonActor,
  authorityIds: string[],
  userId: string,
  authorityId: string,
): Promise<
  Result<{ authorityName: string; removed: number }, LastAdminRefusal | 'admin.user.not-found'>
> {
  if (!authorityIds.includes(authorityId)) return NOT_FOUND
  return withUserInScope(db, authorityIds, userId, async (trx, user) => {
    const here = user.memberships.filter((m) => m.authorityId === authorityId)
    if (here.length === 0) return NOT_FOUND
    const authorityName = here[0]!.authorityName
    if (here.some((m) => m.role === 'vs_admin')) {
      const reason =
        user.id === actor.userId
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
        return refuse(`admin.user.${reason}` as const, { authorityName })
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
      by: actor.userId,
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
    return ok({ authorityName, removed: here.length })
  })
}
