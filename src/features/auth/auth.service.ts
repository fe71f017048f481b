import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Database, Queryable } from '../../db/connection.ts'
import { STAFF_ROLES, isRole } from '../../domain/roles.ts'
import { getSetting } from '../../shared/settings.ts'
import { decoyPasswordHash, verifyPassword } from '../../shared/passwords.ts'
import { openSecret, type MfaKeyring } from '../../shared/secrets.ts'
import { enableMfa, useRecoveryCode } from './mfa.repository.ts'
import { audit, type Actor } from '../../shared/actor.ts'

/** Consecutive failures (wrong password or wrong security code) that lock an account. */
export const MAX_FAILED_SIGN_INS = 5
export const LOCKOUT_MS = 15 * 60_000

export type SignInResult =
  /** Email and password are right; `mfa` says what the second step is. */
  | { kind: 'ok'; userId: string; mfa: 'none' | 'verify' | 'set-up' }
  /** Wrong; `locked` is true when this failure locked the address. */
  | { kind: 'failed'; userId: string | null; emailKey: string; locked: boolean }
  /** The address is locked: the password was not even looked at. */
  | { kind: 'locked'; userId: string | null; emailKey: string }

/**
 * The address as the audit trail keeps it for an attempt: a hash, so a mistyped or guessed
 * address is not stored as it was typed, yet repeated attempts on it can be counted.
 */
export function emailKey(email: string): string {
  return createHash('sha256').update(`openpep-sign-in:${email.trim().toLowerCase()}`).digest('hex')
}

async function findAccount(db: Queryable, email: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'password_hash', 'status', 'locked_until', 'mfa_secret', 'mfa_enabled_at'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst()
}

/**
 * Checks an email and password, with lockout. The answer never says whether the address has an
 * account: every address, with an account or without, is locked for 15 minutes by its 5th
 * consecutive failure. Accounts count in app_user (a success resets the count); addresses with no
 * account count the same way in sign_in_failure, by the address's key, just as for an account
 * whose owner never signs in. Both paths read one row, check a password (the decoy hash for no
 * account) and write one row, so they also take the same time, however long the audit trail.
 */
export async function checkCredentials(
  db: Database,
  actor: Actor,
  attempt: { email: string; password: string },
): Promise<SignInResult> {
  const { email, password } = attempt
  const now = actor.now
  const key = emailKey(email)
  const user = await findAccount(db, email)
  if (!user) {
    const address = await db
      .selectFrom('sign_in_failure')
      .select('locked_until')
      .where('email_key', '=', key)
      .executeTakeFirst()
    await verifyPassword(await decoyPasswordHash(), password)
    if (address?.locked_until && address.locked_until > now) return lockedOut(db, actor, null, key)
    return failed(db, actor, null, key)
  }
  if (user.locked_until && user.locked_until > now) {
    await verifyPassword(await decoyPasswordHash(), password)
    return lockedOut(db, actor, user.id, key)
  }
  const usable = user.password_hash && user.status === 'active'
  const matches = await verifyPassword(
    usable && user.password_hash ? user.password_hash : await decoyPasswordHash(),
    password,
  )
  if (!usable || !matches) return failed(db, actor, user.id, key)
  const hasMfa = Boolean(user.mfa_secret && user.mfa_enabled_at)
  const mfa = hasMfa ? 'verify' : (await mfaRequiredFor(db, user.id)) ? 'set-up' : 'none'
  return { kind: 'ok', userId: user.id, mfa }
}

/** A wrong password: counted against the account or the address, and audited with it. */
async function failed(
  db: Database,
  actor: Actor,
  userId: string | null,
  key: string,
): Promise<SignInResult> {
  return db.transaction().execute(async (trx) => {
    const locked = userId
      ? await recordFailure(trx, userId, actor.now)
      : await recordAddressFailure(trx, key, actor.now)
    await audit(trx, actor, {
      action: 'sign-in.failure',
      outcome: 'failure',
      subjectUserId: userId,
      details: { emailKey: key, ...(locked ? { lockedNow: true } : {}) },
    })
    return { kind: 'failed' as const, userId, emailKey: key, locked }
  })
}

/** A sign-in to a locked account or address: refused, the password not looked at, audited. */
async function lockedOut(
  db: Database,
  actor: Actor,
  userId: string | null,
  key: string,
): Promise<SignInResult> {
  await audit(db, actor, {
    action: 'sign-in.locked',
    outcome: 'failure',
    subjectUserId: userId,
    details: { emailKey: key },
  })
  return { kind: 'locked', userId, emailKey: key }
}

/**
 * A password tried where the authority has switched passwords off for its single sign-on
 * domains: refused before the password is looked at, audited with the address's key.
 */
export async function refusePasswordSignIn(
  db: Database,
  actor: Actor,
  attempt: { email: string; providerId: string },
): Promise<void> {
  await audit(db, actor, {
    action: 'sign-in.password-refused',
    outcome: 'failure',
    details: { emailKey: emailKey(attempt.email), providerId: attempt.providerId },
  })
}

/**
 * A wrong security or recovery code counts like a wrong password, audited with it; the 5th in
 * a row locks the account. Returns true when this one locked it.
 */
export async function recordWrongCode(
  db: Database,
  actor: Actor,
  userId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const locked = await recordFailure(trx, userId, actor.now)
    await audit(trx, actor, {
      action: 'sign-in.mfa-failure',
      outcome: 'failure',
      subjectUserId: userId,
      details: locked ? { lockedNow: true } : {},
    })
    return locked
  })
}

/**
 * Signs in with a recovery code instead of the phone: the code used up and its use audited in
 * one transaction. A wrong or used code is `{ ok: false }` (count it with recordWrongCode).
 */
export async function redeemRecoveryCode(
  db: Database,
  actor: Actor & { userId: string },
  code: string,
): Promise<{ ok: false } | { ok: true; left: number }> {
  return db.transaction().execute(async (trx) => {
    const used = await useRecoveryCode(trx, actor.userId, code, actor.now)
    if (used.ok)
      await audit(trx, actor, {
        action: 'account.recovery-code-used',
        subjectUserId: actor.userId,
        details: { left: used.left },
      })
    return used
  })
}

/** recordFailure for an address without an account: the same count and lock, in one upsert. */
async function recordAddressFailure(db: Queryable, key: string, now: Date): Promise<boolean> {
  const lockUntil = new Date(now.getTime() + LOCKOUT_MS)
  const row = await db
    .insertInto('sign_in_failure')
    .values({ email_key: key, failed_sign_ins: 1, locked_until: null, updated_at: now })
    .onConflict((oc) =>
      oc.column('email_key').doUpdateSet({
        failed_sign_ins: sql<number>`case when sign_in_failure.failed_sign_ins + 1 >= ${MAX_FAILED_SIGN_INS} then 0 else sign_in_failure.failed_sign_ins + 1 end`,
        locked_until: sql<Date | null>`case when sign_in_failure.failed_sign_ins + 1 >= ${MAX_FAILED_SIGN_INS} then ${lockUntil}::timestamptz else sign_in_failure.locked_until end`,
        updated_at: now,
      }),
    )
    .returning(['locked_until'])
    .executeTakeFirst()
  return row?.locked_until?.getTime() === lockUntil.getTime()
}

/**
 * Counts a failure against an account (a wrong password or security code). The 5th in a row locks
 * it for 15 minutes and starts the count again. Returns true when this failure locked it.
 */
export async function recordFailure(db: Queryable, userId: string, now: Date): Promise<boolean> {
  const lockUntil = new Date(now.getTime() + LOCKOUT_MS)
  const row = await db
    .updateTable('app_user')
    .set({
      failed_sign_ins: sql<number>`case when failed_sign_ins + 1 >= ${MAX_FAILED_SIGN_INS} then 0 else failed_sign_ins + 1 end`,
      locked_until: sql<Date | null>`case when failed_sign_ins + 1 >= ${MAX_FAILED_SIGN_INS} then ${lockUntil}::timestamptz else locked_until end`,
    })
    .where('id', '=', userId)
    .returning(['locked_until'])
    .executeTakeFirst()
  return row?.locked_until?.getTime() === lockUntil.getTime()
}

export async function isLocked(db: Queryable, userId: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('app_user')
    .select('locked_until')
    .where('id', '=', userId)
    .executeTakeFirst()
  return Boolean(row?.locked_until && row.locked_until > now)
}

/**
 * Someone signed in (the session is the caller's): the count of failures starts again,
 * last_sign_in_at is set and the sign-in audited with how (`details`), in one transaction.
 */
export async function recordSignIn(
  db: Database,
  actor: Actor & { userId: string },
  details: Record<string, unknown>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await recordSuccess(trx, actor.userId, actor.now)
    await audit(trx, actor, { action: 'sign-in.success', subjectUserId: actor.userId, details })
  })
}

/** A full sign-in: the count of failures starts again. */
export async function recordSuccess(db: Queryable, userId: string, now: Date): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: now })
    .where('id', '=', userId)
    .execute()
}

/**
 * Staff must use two-step verification while the installation requires it; carers and young
 * people never; nor do the demo's fictional accounts (which exist only in a demo database).
 */
export async function mfaRequiredFor(db: Queryable, userId: string): Promise<boolean> {
  const account = await db
    .selectFrom('app_user')
    .select('demo_account')
    .where('id', '=', userId)
    .executeTakeFirst()
  if (!account || account.demo_account) return false
  const roles = await db
    .selectFrom('membership')
    .select('role')
    .where('user_id', '=', userId)
    .execute()
  const isStaff = roles.some((r) => isRole(r.role) && STAFF_ROLES.includes(r.role))
  return isStaff && (await getSetting(db, 'mfaRequiredForStaff'))
}

/**
 * The user's TOTP secret once set up, decrypted, or undefined. Throws when the stored secret
 * cannot be decrypted (its key is gone, or it was tampered with): it is never used then.
 */
export async function findMfaSecret(
  db: Queryable,
  userId: string,
  keyring: MfaKeyring,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('app_user')
    .select(['mfa_secret', 'mfa_enabled_at', 'status'])
    .where('id', '=', userId)
    .executeTakeFirst()
  return row?.status === 'active' && row.mfa_secret && row.mfa_enabled_at
    ? openSecret(keyring, userId, row.mfa_secret)
    : undefined
}

/**
 * Turns two-step verification on, once a code from the new secret is confirmed: the secret and
 * the recovery codes are kept, with the audit event, in one transaction (ADR 7).
 */
export async function confirmMfaSetUp(
  db: Database,
  actor: Actor,
  input: { userId: string; secret: string; recoveryCodes: string[]; keyring: MfaKeyring },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await enableMfa(trx, { ...input, now: actor.now })
    await audit(trx, actor, { action: 'account.mfa-enabled', subjectUserId: input.userId })
  })
}
