import type { Database, Queryable } from '../../db/connection.ts'
import { isUuid } from '../../domain/ids.ts'
import { ROLE_NAMES, isRole, type Role } from '../../domain/roles.ts'
import { enqueueEmail } from '../../email/outbox.repository.ts'
import { invitationEmail, joinAuthorityEmail } from '../../email/templates.ts'
import { paths } from '../../paths.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { recordAuditEvent, type AuditEvent } from '../../shared/audit-events.ts'
import { issueAccountToken, TOKEN_LIFETIME_MS } from './account-tokens.repository.ts'
import { linkInvitedCarer } from '../../shared/carer-invitations.ts'

/** How long an invitation's link lasts, for the carer invitations' page (children). */
export { TOKEN_LIFETIME_MS } from './account-tokens.repository.ts'

/*
 * Invitations to an authority (ADR 9). An administrator adds an address; whether or not it has
 * an account, the administrator sees the same answer and the same page (what they typed, status
 * "Invited", the roles offered) and an email goes out. The person joins, and the offered roles
 * become theirs, only when they accept: a new person by setting their password from the emailed
 * link, someone with an account by accepting while signed in as that account.
 */

export interface InviteUserInput {
  email: string
  displayName: string
  authorityId: string
  role: Role
  /** For a designated teacher or person: their school. */
  schoolId: string | null
  invitedBy: { id: string; displayName: string; actingRole: Role | null }
  baseUrl: string
  now: Date
  request?: { ip: string; userAgent: string | null; requestId: string }
}

export type InviteUserResult =
  /** Invited (a new address, or one with an account elsewhere: the answer is the same). */
  | { kind: 'invited'; userId: string }
  /** Already a member of this authority: the role is theirs at once. */
  | { kind: 'role-added'; userId: string }
  | { kind: 'already-has-role'; userId: string }

const DAY_MS = 24 * 60 * 60_000

/**
 * Adds a person to an authority in a role. Someone already in the authority gains the role at
 * once. Anyone else (a new address, or an account the administrator cannot see) is invited: the
 * invitation records what the administrator typed and the role offered, and an email goes out.
 * One transaction: the account, the invitation, the token, the email and the audit event all
 * happen, or none do.
 */
export async function inviteUser(db: Database, input: InviteUserInput): Promise<InviteUserResult> {
  return db.transaction().execute((trx) => inviteUserIn(trx, input))
}

/** `inviteUser` in the caller's transaction (a carer invited to a child: issue 20). */
export async function inviteUserIn(
  trx: Queryable,
  input: InviteUserInput,
): Promise<InviteUserResult> {
  const existing = await trx
    .selectFrom('app_user')
    .select(['id'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase()))
    .executeTakeFirst()
  const userId =
    existing?.id ??
    (
      await trx
        .insertInto('app_user')
        .values({ email: input.email, display_name: input.displayName, status: 'invited' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  await lockAccount(trx, userId)
  const place = await trx
    .selectFrom('authority_member')
    .select('joined_at')
    .where('user_id', '=', userId)
    .where('authority_id', '=', input.authorityId)
    .forUpdate()
    .executeTakeFirst()

  let kind: InviteUserResult['kind']
  if (place?.joined_at) {
    const added = await trx
      .insertInto('membership')
      .values({
        user_id: userId,
        authority_id: input.authorityId,
        role: input.role,
        school_id: input.schoolId,
      })
      .onConflict((oc) => oc.columns(['user_id', 'authority_id', 'role']).doNothing())
      .returning('id')
      .executeTakeFirst()
    kind = added ? 'role-added' : 'already-has-role'
  } else {
    await trx
      .insertInto('authority_member')
      .values({
        user_id: userId,
        authority_id: input.authorityId,
        invited_name: input.displayName,
        invited_email: input.email,
        invited_at: input.now,
        invited_by: input.invitedBy.id,
      })
      .onConflict((oc) =>
        oc.columns(['user_id', 'authority_id']).doUpdateSet({
          invited_at: input.now,
          invited_by: input.invitedBy.id,
        }),
      )
      .execute()
    await trx
      .insertInto('role_offer')
      .values({
        user_id: userId,
        authority_id: input.authorityId,
        role: input.role,
        school_id: input.schoolId,
        offered_by: input.invitedBy.id,
        offered_at: input.now,
      })
      .onConflict((oc) => oc.columns(['user_id', 'authority_id', 'role']).doNothing())
      .execute()
    await sendInvitation(trx, {
      userId,
      authorityId: input.authorityId,
      invitedBy: input.invitedBy,
      baseUrl: input.baseUrl,
      now: input.now,
    })
    kind = 'invited'
  }
  await recordAuditEvent(trx, {
    occurredAt: input.now,
    userId: input.invitedBy.id,
    actingRole: input.invitedBy.actingRole,
    authorityId: input.authorityId,
    action: 'admin.user.invite',
    outcome: 'success',
    subjectUserId: userId,
    ip: input.request?.ip ?? null,
    userAgent: input.request?.userAgent ?? null,
    requestId: input.request?.requestId ?? null,
    details: { role: input.role, result: kind },
  })
  return { kind, userId }
}

/**
 * Sends (or sends again) the invitation to an authority. Someone who has never set a password
 * gets a fresh link to set one (any earlier link stops working); someone with an account is asked
 * to sign in and accept. The administrator sees neither: the words in the email are for the
 * person who owns the address.
 */
export async function sendInvitation(
  db: Queryable,
  input: {
    userId: string
    authorityId: string
    invitedBy: { id: string; displayName: string }
    baseUrl: string
    now: Date
  },
): Promise<void> {
  const [authority, user] = await Promise.all([
    db
      .selectFrom('authority')
      .select('name')
      .where('id', '=', input.authorityId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('app_user')
      .select(['email', 'display_name', 'status', 'password_hash'])
      .where('id', '=', input.userId)
      .executeTakeFirstOrThrow(),
  ])
  if (user.status === 'invited' && !user.password_hash) {
    const token = await issueAccountToken(db, {
      userId: input.userId,
      purpose: 'invitation',
      createdBy: input.invitedBy.id,
      now: input.now,
    })
    const email = invitationEmail({
      to: user.email,
      name: user.display_name,
      invitedBy: input.invitedBy.displayName,
      authorityName: authority.name,
      url: `${input.baseUrl}${paths.account.acceptInvitation(token)}`,
      expiresInDays: TOKEN_LIFETIME_MS.invitation / DAY_MS,
    })
    await enqueueEmail(db, email, input.now)
    return
  }
  const offers = await db
    .selectFrom('role_offer')
    .select('role')
    .where('user_id', '=', input.userId)
    .where('authority_id', '=', input.authorityId)
    .orderBy('role')
    .execute()
  const email = joinAuthorityEmail({
    to: user.email,
    name: user.display_name,
    invitedBy: input.invitedBy.displayName,
    authorityName: authority.name,
    roles: offers.map((o) => (isRole(o.role) ? ROLE_NAMES[o.role] : o.role)),
    url: `${input.baseUrl}${paths.account.invitations()}`,
  })
  await enqueueEmail(db, email, input.now)
}

export interface PendingInvitation {
  authorityId: string
  authorityName: string
  invitedAt: Date
  invitedByName: string | null
  roles: { role: Role; schoolName: string | null }[]
}

/** The invitations a person has not yet answered, oldest first. */
export async function listPendingInvitations(
  db: Queryable,
  userId: string,
): Promise<PendingInvitation[]> {
  const rows = await db
    .selectFrom('authority_member as am')
    .innerJoin('authority as a', 'a.id', 'am.authority_id')
    .leftJoin('app_user as by', 'by.id', 'am.invited_by')
    .leftJoin('role_offer as o', (join) =>
      join.onRef('o.user_id', '=', 'am.user_id').onRef('o.authority_id', '=', 'am.authority_id'),
    )
    .leftJoin('school as s', 's.id', 'o.school_id')
    .select([
      'am.authority_id',
      'a.name as authority_name',
      'am.invited_at',
      'by.display_name as invited_by_name',
      'o.role',
      's.name as school_name',
    ])
    .where('am.user_id', '=', userId)
    .where('am.joined_at', 'is', null)
    .orderBy('am.invited_at')
    .orderBy('o.role')
    .execute()
  const out = new Map<string, PendingInvitation>()
  for (const row of rows) {
    const invitation = out.get(row.authority_id) ?? {
      authorityId: row.authority_id,
      authorityName: row.authority_name,
      invitedAt: row.invited_at!,
      invitedByName: row.invited_by_name,
      roles: [],
    }
    if (isRole(row.role)) invitation.roles.push({ role: row.role, schoolName: row.school_name })
    out.set(row.authority_id, invitation)
  }
  return [...out.values()]
}

/**
 * Locks an account's row for the rest of the transaction: every change that gives or takes a
 * person's roles, or decides from them (deactivating when they hold roles elsewhere), takes this
 * lock first, so such changes to one person take turns.
 */
export async function lockAccount(trx: Queryable, userId: string): Promise<void> {
  await trx.selectFrom('app_user').select('id').where('id', '=', userId).forUpdate().execute()
}

/**
 * The person joins the authority: the roles offered become theirs, in the caller's transaction.
 * Returns the roles, or undefined when there is no invitation (any more) to accept.
 */
export async function joinAuthority(
  trx: Queryable,
  userId: string,
  authorityId: string,
  now: Date,
): Promise<Role[] | undefined> {
  await lockAccount(trx, userId)
  const place = await trx
    .updateTable('authority_member')
    .set({ joined_at: now })
    .where('user_id', '=', userId)
    .where('authority_id', '=', authorityId)
    .where('joined_at', 'is', null)
    .returning('user_id')
    .executeTakeFirst()
  if (!place) return undefined
  const offers = await trx
    .deleteFrom('role_offer')
    .where('user_id', '=', userId)
    .where('authority_id', '=', authorityId)
    .returning(['role', 'school_id'])
    .execute()
  for (const offer of offers) {
    await trx
      .insertInto('membership')
      .values({
        user_id: userId,
        authority_id: authorityId,
        role: offer.role,
        school_id: offer.school_id,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['user_id', 'authority_id', 'role']).doNothing())
      .execute()
  }
  // A carer invited to a child is linked to the child as they join (issue 20).
  await linkInvitedCarer(trx, userId, authorityId, now)
  return offers.map((o) => o.role).filter(isRole)
}

/**
 * A new person has set their password from an invitation link: they join every authority that
 * invited them (the page said which), in the caller's transaction, each audited.
 */
export async function joinInvitingAuthorities(
  trx: Queryable,
  userId: string,
  now: Date,
  request: Pick<AuditEvent, 'method' | 'path' | 'ip' | 'userAgent' | 'requestId'>,
): Promise<void> {
  const pending = await trx
    .selectFrom('authority_member')
    .select('authority_id')
    .where('user_id', '=', userId)
    .where('joined_at', 'is', null)
    .execute()
  for (const { authority_id } of pending) {
    const roles = await joinAuthority(trx, userId, authority_id, now)
    if (!roles) continue
    await recordAuditEvent(trx, {
      occurredAt: now,
      userId,
      actingRole: null,
      authorityId: authority_id,
      action: 'account.authority-joined',
      outcome: 'success',
      subjectUserId: userId,
      details: { roles, via: 'invitation-link' },
      ...request,
    })
  }
}

export type InvitationRefusal = 'invitation.not-found'

/**
 * A signed-in person accepts an invitation to an authority: only their own (the invitation is
 * found by the signed-in account, so someone else signed in finds nothing and is refused).
 */
export async function acceptInvitation(
  db: Database,
  actor: PersonActor,
  authorityId: string,
): Promise<Result<{ authorityName: string; roles: Role[] }, InvitationRefusal>> {
  if (!isUuid(authorityId)) return refuse('invitation.not-found')
  return db.transaction().execute(async (trx) => {
    const authority = await trx
      .selectFrom('authority')
      .select('name')
      .where('id', '=', authorityId)
      .executeTakeFirst()
    const roles = authority
      ? await joinAuthority(trx, actor.userId, authorityId, actor.now)
      : undefined
    if (!authority || !roles) return refuse('invitation.not-found')
    await audit(trx, actor, {
      action: 'account.authority-joined',
      authorityId,
      subjectUserId: actor.userId,
      details: { roles, via: 'signed-in' },
    })
    return ok({ authorityName: authority.name, roles })
  })
}

/** A signed-in person declines an invitation: it goes, with the roles it offered; nothing else changes. */
export async function declineInvitation(
  db: Database,
  actor: PersonActor,
  authorityId: string,
): Promise<Result<{ authorityName: string }, InvitationRefusal>> {
  if (!isUuid(authorityId)) return refuse('invitation.not-found')
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('authority_member')
      .where('user_id', '=', actor.userId)
      .where('authority_id', '=', authorityId)
      .where('joined_at', 'is', null)
      .returning('authority_id')
      .executeTakeFirst()
    if (!removed) return refuse('invitation.not-found')
    const authority = await trx
      .selectFrom('authority')
      .select('name')
      .where('id', '=', authorityId)
      .executeTakeFirstOrThrow()
    await audit(trx, actor, {
      action: 'account.invitation-declined',
      authorityId,
      subjectUserId: actor.userId,
    })
    return ok({ authorityName: authority.name })
  })
}
