import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import { hashRecoveryCode, normaliseRecoveryCode } from '../../domain/mfa.ts'
import { sealSecret, type MfaKeyring } from '../../shared/secrets.ts'

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
