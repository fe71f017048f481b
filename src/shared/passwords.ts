import { hash, verify } from '@node-rs/argon2'

/* argon2id with the OWASP-recommended minimum: 19 MiB memory, 2 iterations, 1 lane. */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/**
 * A hash to verify against when no account matches, so a wrong email address takes as long as a
 * wrong password and response times do not reveal who has an account.
 */
let decoyHash: Promise<string> | undefined
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword('decoy password that no account has')
  return decoyHash
}
