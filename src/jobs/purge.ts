import type { Queryable } from '../db/connection.ts'

/*
 * Housekeeping, daily: what has expired is deleted, so neither sessions nor attempt counters pile
 * up (an anonymous visitor makes no session row, but a half-finished or abandoned sign-in does,
 * and every address tried makes a counter). Nothing still in force is touched:
 * - sessions past their expiry (a session is refused once expired; the row only waited here);
 * - rate-limit counters whose window has ended (a new window starts from a fresh count anyway);
 * - counts of failed sign-ins of addresses without an account that hold nothing: no failures
 *   since the last lock, and no lock in force. Those with failures still counting stay, exactly
 *   as an account's count does;
 * - forms kept for someone signed out mid-save, once their day is over (what they typed is
 *   personal data, kept no longer than it can be given back).
 */
export async function purgeExpired({ db, now }: { db: Queryable; now: Date }) {
  const sessions = await db
    .deleteFrom('web_session')
    .where('expires_at', '<=', now)
    .executeTakeFirst()
  const counters = await db
    .deleteFrom('rate_limit_counter')
    .where('window_ends_at', '<=', now)
    .executeTakeFirst()
  const addresses = await db
    .deleteFrom('sign_in_failure')
    .where('failed_sign_ins', '=', 0)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .executeTakeFirst()
  const unsavedForms = await db
    .deleteFrom('unsaved_form')
    .where('expires_at', '<=', now)
    .executeTakeFirst()
  return {
    sessions: Number(sessions.numDeletedRows),
    unsavedForms: Number(unsavedForms.numDeletedRows),
    counters: Number(counters.numDeletedRows),
    addresses: Number(addresses.numDeletedRows),
  }
}
