import { createHash, randomInt } from 'node:crypto'
import { generateSecret, generateURI, verify } from 'otplib'
import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import { sealSecret, type MfaKeyring } from '../../shared/secrets.ts'

/** A code from the step before or after now is accepted too: phones' clocks drift. */
const TOLERANCE_SECONDS = 30
export const RECOVERY_CODE_COUNT = 10
const ISSUER = 'OpenPEP'

export function newMfaSecret(): string {
  return generateSecret()
}

/** The secret in groups of four, easier to type into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim()
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function mfaUri(email: string, secret: string): string {
  return generateURI({ issuer: ISSUER, label: email, secret })
}

/** The QR code as an inline SVG image (the CSP allows data: images). */
export async function qrCodeDataUri(text: string): Promise<string> {
  // Loaded only when someone sets up two-step verification.
  const { default: QRCode } = await import('qrcode')
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}

/** A 6-digit code as people type it, with spaces or dashes; null unless it is 6 digits. */
export function normaliseSecurityCode(input: unknown): string | null {
  if (typeof input !== 'string') return null
  const code = input.replace(/[\s-]/g, '')
  return /^\d{6}$/.test(code) ? code : null
}

/**
 * Checks a TOTP code at the service's time (the injected clock), never the machine's. Returns the
 * code's time step when it is right, or null. A code at or before `afterTimeStep` (the last one
 * this user signed in with) is refused, so a code seen over someone's shoulder cannot be replayed.
 */
export async function verifyTotp(
  secret: string,
  code: string,
  now: Date,
  afterTimeStep?: number,
): Promise<number | null> {
  try {
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(now.getTime() / 1000),
      epochTolerance: TOLERANCE_SECONDS,
      ...(afterTimeStep === undefined ? {} : { afterTimeStep }),
    })
    return result.valid && 'timeStep' in result ? result.timeStep : null
  } catch {
    return null
  }
}

/** The time step of the last code this user signed in with, from the audit trail. */
export async function lastUsedTimeStep(db: Queryable, userId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('audit_event')
    .select(sql<string>`details->>'timeStep'`.as('timeStep'))
    .where('subject_user_id', '=', userId)
    .where('action', '=', 'sign-in.success')
    .where(sql<string>`details->>'timeStep'`, 'is not', null)
    .orderBy('occurred_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? Number(row.timeStep) : undefined
}

/* Recovery codes: 10 characters from an alphabet without look-alikes (50 bits), shown as xxxxx-xxxxx. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

export function normaliseRecoveryCode(input: unknown): string | null {
  if (typeof input !== 'string') return null
  const code = input.toLowerCase().replace(/[\s-]/g, '')
  return /^[a-z0-9]{10}$/.test(code) ? code : null
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(`openpep-recovery:${code}`).digest('hex')
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    let code = ''
    for (let i = 0; i < 10; i++) code += ALPHABET[randomInt(ALPHABET.length)]
    return `${code.slice(0, 5)}-${code.slice(5)}`
  })
}

/**
 * Turns MFA on with its secret (stored encrypted under the keyring's current key) and a fresh set
 * of recovery codes, stored as hashes (any old ones stop working).
 */
export async function enableMfa(
  db: Queryable,
  input: {
    userId: string
    secret: string
    recoveryCodes: string[]
    now: Date
    keyring: MfaKeyring
  },
): Promise<void> {
  await db
    .updateTable('app_user')
    .set({
      mfa_secret: sealSecret(input.keyring, input.userId, input.secret),
      mfa_enabled_at: input.now,
    })
    .where('id', '=', input.userId)
    .execute()
  await db.deleteFrom('recovery_code').where('user_id', '=', input.userId).execute()
  await db
    .insertInto('recovery_code')
    .values(
      input.recoveryCodes.map((code) => ({
        user_id: input.userId,
        code_hash: hashRecoveryCode(normaliseRecoveryCode(code) ?? code),
        created_at: input.now,
      })),
    )
    .execute()
}

/** Uses a recovery code up; false when it is wrong or already used. Returns how many are left. */
export async function useRecoveryCode(
  db: Queryable,
  userId: string,
  code: string,
  now: Date,
): Promise<{ ok: false } | { ok: true; left: number }> {
  const used = await db
    .updateTable('recovery_code')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashRecoveryCode(code))
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  if (!used) return { ok: false }
  const row = await db
    .selectFrom('recovery_code')
    .select((eb) => eb.fn.countAll<number>().as('left'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return { ok: true, left: Number(row.left) }
}
