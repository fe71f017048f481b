import { readFileSync } from 'node:fs'

/** The rules for a new password (ASVS 2.1): length, not a common password, not the email address. */
export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 256

/** Lower-case common passwords of 12 characters or more (shorter ones fail on length anyway). */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#')),
)

export const PASSWORD_MESSAGES = {
  missing: 'Enter a new password',
  tooShort: `Password must be ${PASSWORD_MIN_LENGTH} characters or more`,
  tooLong: `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`,
  common: 'Choose a password that is harder to guess: this one is on a list of common passwords',
  containsEmail: 'Password must not contain your email address',
  confirmMissing: 'Confirm your new password',
  mismatch: 'Enter the same password in both boxes',
} as const

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.trim().toLowerCase())
}

/**
 * Why a new password is not allowed, or null when it is. Length counts characters as people see
 * them (code points), so an emoji counts once. The email's local part is only checked when it has
 * at least 3 characters: "al" inside a password says nothing about the person.
 */
export function passwordProblem(password: string, email: string): string | null {
  const length = [...password].length
  if (length === 0) return PASSWORD_MESSAGES.missing
  if (length < PASSWORD_MIN_LENGTH) return PASSWORD_MESSAGES.tooShort
  if (length > PASSWORD_MAX_LENGTH) return PASSWORD_MESSAGES.tooLong
  if (isCommonPassword(password)) return PASSWORD_MESSAGES.common
  const localPart = (email.split('@')[0] ?? '').trim().toLowerCase()
  if (localPart.length >= 3 && password.toLowerCase().includes(localPart))
    return PASSWORD_MESSAGES.containsEmail
  return null
}

export type NewPasswordCheck =
  | { ok: true; password: string }
  | { ok: false; fields: { password?: string; confirmPassword?: string } }

/** Checks a "new password" and "confirm" pair from a form. */
export function checkNewPassword(
  password: unknown,
  confirmPassword: unknown,
  email: string,
): NewPasswordCheck {
  const pw = typeof password === 'string' ? password : ''
  const confirm = typeof confirmPassword === 'string' ? confirmPassword : ''
  const problem = passwordProblem(pw, email)
  if (problem) return { ok: false, fields: { password: problem } }
  if (!confirm) return { ok: false, fields: { confirmPassword: PASSWORD_MESSAGES.confirmMissing } }
  if (confirm !== pw) return { ok: false, fields: { confirmPassword: PASSWORD_MESSAGES.mismatch } }
  return { ok: true, password: pw }
}
