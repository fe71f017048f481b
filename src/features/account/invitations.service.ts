import type { Database, Queryable } from '../../db/connection.ts'
import type { Role } from '../../domain/roles.ts'
import { enqueueEmail } from '../../email/outbox.repository.ts'
import { invitationEmail } from '../../email/templates.ts'
import { paths } from '../../paths.ts'
import { recordAuditEvent } from '../audit/audit.repository.ts'
import { issueAccountToken, TOKEN_LIFETIME_MS } from './account-tokens.ts'

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
  | { kind: 'invited'; userId: string }
  /** The address already has an account: it gains the role, and no invitation is sent. */
  | { kind: 'role-added'; userId: string }
  | { kind: 'already-has-role'; userId: string }

const DAY_MS = 24 * 60 * 60_000

/**
 * Adds a person to an authority in a role. A new address gets an account waiting for a password
 * and an emailed invitation link; an existing account simply gains the role. One transaction:
 * the user, the membership, the token, the email and the audit event all happen, or none do.
 */
export async function inviteUser(db: Database, input: InviteUserInput): Promise<InviteUserResult> {
  return db.transaction().execute(async (trx) => {
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
    const kind: InviteUserResult['kind'] = !existing
      ? 'invited'
      : added
        ? 'role-added'
        : 'already-has-role'

    if (kind === 'invited') {
      await sendInvitation(trx, {
        userId,
        to: input.email,
        name: input.displayName,
        authorityId: input.authorityId,
        invitedBy: input.invitedBy,
        baseUrl: input.baseUrl,
        now: input.now,
      })
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
  })
}

/** Sends (or sends again) the invitation email with a fresh link; any earlier link stops working. */
export async function sendInvitation(
  db: Queryable,
  input: {
    userId: string
    to: string
    name: string
    authorityId: string
    invitedBy: { id: string; displayName: string }
    baseUrl: string
    now: Date
  },
): Promise<void> {
  const authority = await db
    .selectFrom('authority')
    .select('name')
    .where('id', '=', input.authorityId)
    .executeTakeFirstOrThrow()
  const token = await issueAccountToken(db, {
    userId: input.userId,
    purpose: 'invitation',
    createdBy: input.invitedBy.id,
    now: input.now,
  })
  const email = invitationEmail({
    to: input.to,
    name: input.name,
    invitedBy: input.invitedBy.displayName,
    authorityName: authority.name,
    url: `${input.baseUrl}${paths.account.acceptInvitation(token)}`,
    expiresInDays: TOKEN_LIFETIME_MS.invitation / DAY_MS,
  })
  await enqueueEmail(db, email, input.now)
}
