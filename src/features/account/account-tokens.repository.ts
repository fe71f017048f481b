import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { AccountTokenPurpose } from '../../db/schema.ts'

/** How long a link in an email works. */
export const TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  invitation: 7 * 24 * 60 * 60_000,
  password_reset: 60 * 60_000,
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * Makes a single-use token for an emailed link and returns it. Only its hash is stored, so the
 * database alone cannot be used to take over an account; any earlier unused token for the same
 * purpose stops working.
 */
export async function issueAccountToken(
  db: Queryable,
  input: { userId: string; purpose: AccountTokenPurpose; createdBy: string | null; now: Date },
): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  await db
    .updateTable('account_token')
    .set({ used_at: input.now })
    .where('user_id', '=', input.userId)
    .where('purpose', '=', input.purpose)
    .where('used_at', 'is', null)
    .execute()
  // Written only if the account exists: a password reset for an address without one runs the
  // same statements and writes nothing (see requestPasswordReset).
  await db
    .insertInto('account_token')
    .columns(['user_id', 'purpose', 'token_hash', 'expires_at', 'created_by'])
    .expression((eb) =>
      eb
        .selectFrom('app_user')
        .select([
          'id',
          sql<AccountTokenPurpose>`${input.purpose}::text`.as('purpose'),
          sql<string>`${hashToken(token)}::text`.as('token_hash'),
          sql<Date>`${new Date(input.now.getTime() + TOKEN_LIFETIME_MS[input.purpose])}::timestamptz`.as(
            'expires_at',
          ),
          sql<string | null>`${input.createdBy}::uuid`.as('created_by'),
        ])
        .where('id', '=', input.userId),
    )
    .execute()
  return token
}

/** The user a token is for, while it is unused and in date; undefined otherwise. Does not use it up. */
export async function findValidAccountToken(
  db: Queryable,
  token: string,
  purpose: AccountTokenPurpose,
  now: Date,
) {
  return db
    .selectFrom('account_token')
    .select(['id', 'user_id'])
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
}

/**
 * Uses a token up, in the caller's transaction, and returns its user. Two requests racing with
 * the same token cannot both succeed: only one update finds it unused.
 */
export async function consumeAccountToken(
  db: Queryable,
  token: string,
  purpose: AccountTokenPurpose,
  now: Date,
): Promise<string | undefined> {
  const row = await db
    .updateTable('account_token')
    .set({ used_at: now })
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst()
  return row?.user_id
}
