import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import type { Queryable } from '../db/connection.ts'

/*
 * Authenticator (TOTP) secrets are encrypted at rest with AES-256-GCM under a key from the
 * environment (MFA_ENCRYPTION_KEYS). Each stored value names the key it was made with:
 *
 *     <key id>:<iv>:<tag>:<ciphertext>        (the last three in base64url)
 *
 * The first key in MFA_ENCRYPTION_KEYS encrypts; every key listed decrypts. To rotate, put a new
 * key first and keep the old one after it: new secrets use the new key, old ones still work, and
 * each start re-encrypts the old ones under the new key, after which the old key can go.
 * The user's id is bound in as additional data, so a stored secret copied to another account
 * does not decrypt there.
 */

export interface MfaKey {
  id: string
  key: Buffer
}

export interface MfaKeyring {
  /** The key new secrets are encrypted with. */
  current: MfaKey
  /** Every key that may decrypt, by id. */
  keys: ReadonlyMap<string, Buffer>
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/
const BASE64URL = /^[A-Za-z0-9_-]+$/
const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * The development key: fixed, so the demo's secrets survive restarts, and public, so production
 * refuses it (src/config.ts).
 */
export const DEVELOPMENT_MFA_KEY: MfaKey = {
  id: 'dev',
  key: createHash('sha256').update('openpep-development-mfa-key-not-for-production-use').digest(),
}

export function developmentKeyring(): MfaKeyring {
  return {
    current: DEVELOPMENT_MFA_KEY,
    keys: new Map([[DEVELOPMENT_MFA_KEY.id, DEVELOPMENT_MFA_KEY.key]]),
  }
}

/** True when the keyring holds the public development key (production must not). */
export function usesDevelopmentKey(keyring: MfaKeyring): boolean {
  return [...keyring.keys.values()].some((key) => key.equals(DEVELOPMENT_MFA_KEY.key))
}

/**
 * Reads MFA_ENCRYPTION_KEYS: `id:base64key,id:base64key`, each key 32 random bytes (make one with
 * `openssl rand -base64 32`). Throws a message that says what is wrong, never the key.
 */
export function parseMfaKeys(value: string): MfaKeyring {
  const entries = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
  if (entries.length === 0) throw new Error('lists no keys (expected id:base64key,...)')
  const keys = new Map<string, Buffer>()
  let current: MfaKey | undefined
  for (const entry of entries) {
    const colon = entry.indexOf(':')
    const id = colon > 0 ? entry.slice(0, colon) : ''
    if (!KEY_ID.test(id))
      throw new Error(
        'needs each key as id:base64key, the id being letters, digits, - or _ (up to 32)',
      )
    const encoded = entry.slice(colon + 1)
    const key = Buffer.from(encoded, 'base64')
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded) || key.length !== 32)
      throw new Error(
        `key "${id}" is not 32 bytes in base64 (make one with openssl rand -base64 32)`,
      )
    if (keys.has(id)) throw new Error(`names key "${id}" twice`)
    keys.set(id, key)
    current ??= { id, key }
  }
  return { current: current!, keys }
}

function additionalData(purpose: string, userId: string): Buffer {
  return Buffer.from(`openpep:${purpose}:${userId}`, 'utf8')
}

/** Encrypts a secret for one user with the keyring's current key. */
export function sealSecret(
  keyring: MfaKeyring,
  userId: string,
  secret: string,
  purpose = 'mfa-secret',
): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', keyring.current.key, iv)
  cipher.setAAD(additionalData(purpose, userId))
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
  const tag = cipher.getAuthTag()
  return [keyring.current.id, iv, tag, ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join(':')
}

/** The key id of a stored value, or undefined when it is not in the encrypted format (plain). */
export function sealedKeyId(stored: string): string | undefined {
  const parts = stored.split(':')
  if (parts.length !== 4) return undefined
  const [id, iv, tag, ciphertext] = parts as [string, string, string, string]
  if (!KEY_ID.test(id) || ![iv, tag, ciphertext].every((p) => BASE64URL.test(p))) return undefined
  return id
}

/**
 * Decrypts a stored secret for one user. Throws when the value is not encrypted, its key is not
 * in the keyring, or it has been changed (GCM's tag): a tampered secret is never used.
 */
export function openSecret(
  keyring: MfaKeyring,
  userId: string,
  stored: string,
  purpose = 'mfa-secret',
): string {
  const id = sealedKeyId(stored)
  if (!id) throw new Error('The stored authenticator secret is not encrypted')
  const key = keyring.keys.get(id)
  if (!key)
    throw new Error(
      `The authenticator secret was encrypted with key "${id}", which MFA_ENCRYPTION_KEYS does not hold`,
    )
  const [, iv, tag, ciphertext] = stored.split(':').map((p) => Buffer.from(p, 'base64url'))
  if (iv!.length !== IV_BYTES || tag!.length !== TAG_BYTES)
    throw new Error('The stored authenticator secret is damaged')
  const decipher = createDecipheriv('aes-256-gcm', key, iv!)
  decipher.setAAD(additionalData(purpose, userId))
  decipher.setAuthTag(tag!)
  try {
    return Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString('utf8')
  } catch {
    throw new Error('The stored authenticator secret failed its integrity check')
  }
}

/**
 * Brings every stored secret under the current key: secrets stored plain (before encryption
 * came in) are encrypted, and secrets under an older key are re-encrypted. Run at start; each
 * row is changed only if it still holds what was read, so two processes starting at once agree.
 */
export async function encryptStoredMfaSecrets(
  db: Queryable,
  keyring: MfaKeyring,
): Promise<{ encrypted: number; rotated: number; unreadable: number }> {
  const rows = await db
    .selectFrom('app_user')
    .select(['id', 'mfa_secret'])
    .where('mfa_secret', 'is not', null)
    .execute()
  let encrypted = 0
  let rotated = 0
  let unreadable = 0
  for (const row of rows) {
    const stored = row.mfa_secret!
    const id = sealedKeyId(stored)
    if (id === keyring.current.id) continue
    let plain = stored
    try {
      if (id) plain = openSecret(keyring, row.id, stored)
    } catch {
      // Under a key no longer held, or damaged: left as it is, for an administrator to reset.
      unreadable++
      continue
    }
    const result = await db
      .updateTable('app_user')
      .set({ mfa_secret: sealSecret(keyring, row.id, plain) })
      .where('id', '=', row.id)
      .where('mfa_secret', '=', stored)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) > 0) {
      if (id) rotated++
      else encrypted++
    }
  }
  return { encrypted, rotated, unreadable }
}
