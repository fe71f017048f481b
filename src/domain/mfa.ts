import { createHash, randomInt } from 'node:crypto'
import { generateSecret, generateURI, verify } from 'otplib'

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
