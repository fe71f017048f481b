import type { Database } from '../../db/connection.ts'
import { findUserForSignIn } from '../users/users.repository.ts'
import { decoyPasswordHash, verifyPassword } from './passwords.ts'

export type SignInResult = { ok: true; userId: string } | { ok: false }

/** Checks an email and password; the answer never says which of the two was wrong. */
export async function checkCredentials(
  db: Database,
  email: string,
  password: string,
): Promise<SignInResult> {
  const user = await findUserForSignIn(db, email)
  if (!user || !user.password_hash || user.status !== 'active') {
    await verifyPassword(await decoyPasswordHash(), password)
    return { ok: false }
  }
  const matches = await verifyPassword(user.password_hash, password)
  return matches ? { ok: true, userId: user.id } : { ok: false }
}
