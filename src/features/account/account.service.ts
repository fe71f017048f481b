import type { Database, Queryable } from '../../db/connection.ts'
import { sql } from 'kysely'
import type { EmailMessage } from '../../email/outbox.repository.ts'
import { accountReminderEmail, passwordResetEmail } from '../../email/templates.ts'
import { paths } from '../../paths.ts'
import { recordAuditEvent, type AuditEvent } from '../../shared/audit-events.ts'
import { decoyPasswordHash, hashPassword, verifyPassword } from '../../shared/passwords.ts'
import { emailKey, recordFailure } from '../auth/auth.service.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { joinInvitingAuthorities } from './invitations.service.ts'
import {
  consumeAccountToken,
  issueAccountToken,
  TOKEN_LIFETIME_MS,
} from './account-tokens.repository.ts'

/** Who and where a request came from, for the audit events a service writes in its transaction. */
export type RequestFacts = Pick<AuditEvent, 'method' | 'path' | 'ip' | 'userAgent' | 'requestId'>

async function findActiveUserByEmail(db: Queryable, email: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'email', 'display_name'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .where('status', '=', 'active')
    .executeTakeFirst()
}

/** Stands in for the account in the statements run for an address that has none. */
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000'

/**
 * Puts an email in the outbox only if `userId` is an active account: the condition is in the
 * statement, so an address without an account runs the same statement and writes nothing.
 */
async function enqueueEmailForAccount(
  db: Queryable,
  userId: string,
  message: EmailMessage,
  at: Date,
): Promise<void> {
  await db
    .insertInto('outbox_email')
    .columns(['to_address', 'subject', 'text_body', 'html_body', 'attachments', 'next_attempt_at'])
    .expression((eb) =>
      eb
        .selectFrom('app_user')
        .select([
          sql<string>`${message.to}::text`.as('to_address'),
          sql<string>`${message.subject}::text`.as('subject'),
          sql<string>`${message.text}::text`.as('text_body'),
          sql<string | null>`${message.html ?? null}::text`.as('html_body'),
          sql<string>`${JSON.stringify(message.attachments ?? [])}::jsonb`.as('attachments'),
          sql<Date>`${at}::timestamptz`.as('next_attempt_at'),
        ])
        .where('id', '=', userId)
        .where('status', '=', 'active'),
    )
    .execute()
}

/**
 * Emails a password reset link to an active account. Says nothing about whether there was one:
 * the caller shows the same page either way, and the work is the same either way (OWASP's
 * forgotten-password advice: no quick exit): the same statements run, each write conditioned on
 * the account, and the request is audited either way (by the address's key when it has no
 * account). The token, the email and the audit event are one transaction.
 */
export async function requestPasswordReset(
  db: Database,
  input: { email: string; baseUrl: string; now: Date; request: RequestFacts },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await findActiveUserByEmail(trx, input.email)
    const userId = user?.id ?? NO_ACCOUNT
    const token = await issueAccountToken(trx, {
      userId,
      purpose: 'password_reset',
      createdBy: null,
      now: input.now,
    })
    await enqueueEmailForAccount(
      trx,
      userId,
      passwordResetEmail({
        to: user?.email ?? input.email,
        name: user?.display_name ?? '',
        url: `${input.baseUrl}${paths.account.resetPassword(token)}`,
        expiresInMinutes: TOKEN_LIFETIME_MS.password_reset / 60_000,
      }),
      input.now,
    )
    await recordAuditEvent(trx, {
      occurredAt: input.now,
      userId: null,
      actingRole: null,
      authorityId: null,
      action: 'account.password-reset-requested',
      outcome: user ? 'success' : 'failure',
      subjectUserId: user?.id ?? null,
      details: user ? {} : { emailKey: emailKey(input.email) },
      ...input.request,
    })
  })
}

/**
 * Reminds each address that has an active account that it does; the others get nothing. As for
 * a password reset, each address runs the same statements whether or not it has an account, and
 * each request is audited.
 */
export async function remindAccounts(
  db: Database,
  input: { emails: string[]; baseUrl: string; now: Date; request: RequestFacts },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const email of input.emails) {
      const user = await findActiveUserByEmail(trx, email)
      await enqueueEmailForAccount(
        trx,
        user?.id ?? NO_ACCOUNT,
        accountReminderEmail({
          to: user?.email ?? email,
          name: user?.display_name ?? '',
          signInUrl: `${input.baseUrl}${paths.signIn()}`,
        }),
        input.now,
      )
      await recordAuditEvent(trx, {
        occurredAt: input.now,
        userId: null,
        actingRole: null,
        authorityId: null,
        action: 'account.reminder-requested',
        outcome: user ? 'success' : 'failure',
        subjectUserId: user?.id ?? null,
        details: user ? {} : { emailKey: emailKey(email) },
        ...input.request,
      })
    }
  })
}

/** The account an emailed link is for, while the link works. */
export async function findTokenUser(db: Queryable, userId: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'email', 'display_name', 'status'])
    .where('id', '=', userId)
    .executeTakeFirst()
}

/**
 * Sets a password from an emailed link: the token is used up in the same transaction, so a link
 * works once even when two requests race. Returns the user, or undefined when the link no longer
 * works. Every session of the user ends: whoever knew the old password is signed out.
 */
export async function setPasswordWithToken(
  db: Database,
  input: {
    token: string
    purpose: 'invitation' | 'password_reset'
    password: string
    now: Date
    request: RequestFacts
  },
): Promise<string | undefined> {
  const passwordHash = await hashPassword(input.password)
  return db.transaction().execute(async (trx) => {
    const userId = await consumeAccountToken(trx, input.token, input.purpose, input.now)
    if (!userId) return undefined
    const updated = await trx
      .updateTable('app_user')
      .set({
        password_hash: passwordHash,
        password_changed_at: input.now,
        failed_sign_ins: 0,
        locked_until: null,
        updated_at: input.now,
        ...(input.purpose === 'invitation' ? { status: 'active' as const } : {}),
      })
      .where('id', '=', userId)
      .where('status', '=', input.purpose === 'invitation' ? 'invited' : 'active')
      .returning('id')
      .executeTakeFirst()
    if (!updated) throw new TokenNoLongerValid()
    await trx.deleteFrom('web_session').where('user_id', '=', userId).execute()
    // A new person accepts by setting their password: they join the authorities that invited them.
    if (input.purpose === 'invitation')
      await joinInvitingAuthorities(trx, userId, input.now, input.request)
    await recordAuditEvent(trx, {
      occurredAt: input.now,
      userId,
      actingRole: null,
      authorityId: null,
      action:
        input.purpose === 'invitation' ? 'account.invitation-accepted' : 'account.password-changed',
      outcome: 'success',
      subjectUserId: userId,
      details: { via: input.purpose },
      ...input.request,
    })
    return userId
  })
}

/** Thrown inside the transaction to roll back the token's use when its account cannot take it. */
export class TokenNoLongerValid extends Error {}

/** Ends every session of a user ("sign out everywhere"). */
export async function endAllSessions(db: Queryable, userId: string): Promise<number> {
  const result = await db.deleteFrom('web_session').where('user_id', '=', userId).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Why a change of password was refused. */
export type ChangePasswordRefusal =
  /** The current password typed was wrong (it counts towards the lockout). */
  | 'password.current-wrong'
  /** This wrong password was the 5th in a row: the account is locked and every session ended. */
  | 'account.locked-now'
  /** The account was already locked: the password typed was not even looked at. */
  | 'account.locked'

/**
 * A signed-in user changes their password, proving the current one. Every other session of the
 * user ends; this one stays. A wrong current password counts like a wrong password at sign-in
 * (whoever holds a session must not get unlimited guesses) and is audited; the 5th in a row locks
 * the account for 15 minutes and ends all its sessions, this one too.
 */
export async function changePassword(
  db: Database,
  input: {
    userId: string
    current: string
    password: string
    keepSessionId: string
    now: Date
    request: RequestFacts
  },
): Promise<Result<void, ChangePasswordRefusal>> {
  const user = await db
    .selectFrom('app_user')
    .select(['password_hash', 'locked_until'])
    .where('id', '=', input.userId)
    .executeTakeFirst()
  const failure = (details: Record<string, unknown>) => ({
    occurredAt: input.now,
    userId: input.userId,
    actingRole: null,
    authorityId: null,
    action: 'account.password-change-failure' as const,
    outcome: 'failure' as const,
    subjectUserId: input.userId,
    details,
    ...input.request,
  })
  if (user?.locked_until && user.locked_until > input.now) {
    await verifyPassword(await decoyPasswordHash(), input.current)
    await recordAuditEvent(db, failure({ locked: true }))
    return refuse('account.locked')
  }
  if (!user?.password_hash || !(await verifyPassword(user.password_hash, input.current))) {
    const lockedNow = await db.transaction().execute(async (trx) => {
      const locked = await recordFailure(trx, input.userId, input.now)
      if (locked) await endAllSessions(trx, input.userId)
      await recordAuditEvent(trx, failure(locked ? { lockedNow: true } : {}))
      return locked
    })
    return refuse(lockedNow ? 'account.locked-now' : 'password.current-wrong')
  }
  const passwordHash = await hashPassword(input.password)
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({
        password_hash: passwordHash,
        password_changed_at: input.now,
        updated_at: input.now,
        failed_sign_ins: 0,
      })
      .where('id', '=', input.userId)
      .execute()
    await trx
      .deleteFrom('web_session')
      .where('user_id', '=', input.userId)
      .where('sid', '!=', input.keepSessionId)
      .execute()
    await recordAuditEvent(trx, {
      occurredAt: input.now,
      userId: input.userId,
      actingRole: null,
      authorityId: null,
      action: 'account.password-changed',
      outcome: 'success',
      subjectUserId: input.userId,
      details: { via: 'account' },
      ...input.request,
    })
  })
  return ok(undefined)
}
