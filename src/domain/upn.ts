/*
 * Unique pupil numbers (DfE "Unique Pupil Numbers" guidance): 13 characters, a check letter
 * then 12 more. Characters 2 to 12 are digits (local authority, establishment, year, serial);
 * character 13 is a digit, or a letter for a temporary UPN. The check letter is the sum of
 * each character's value times its position (2 to 13), modulo 23, as a letter of the
 * alphabet without I, O and S.
 */

const LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ'
const FORMAT = /^[ABCDEFGHJKLMNPQRTUVWXYZ]\d{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]$/

/** What someone typed, as it is stored: capitals, without spaces. */
export function normaliseUpn(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase()
}

export function upnCheckLetter(upn: string): string {
  let sum = 0
  for (let position = 2; position <= 13; position++) {
    const char = upn.charAt(position - 1)
    const value = /\d/.test(char) ? Number(char) : LETTERS.indexOf(char)
    sum += value * position
  }
  return LETTERS.charAt(sum % 23)
}

export type UpnProblem = 'format' | 'check-letter'

/** Undefined when the UPN (already normalised) is valid, or what is wrong with it. */
export function upnProblem(upn: string): UpnProblem | undefined {
  if (!FORMAT.test(upn)) return 'format'
  if (upnCheckLetter(upn) !== upn.charAt(0)) return 'check-letter'
  return undefined
}

/** Makes a valid UPN from its last 12 characters (for tests and demo data). */
export function withCheckLetter(rest: string): string {
  return `${upnCheckLetter(`?${rest}`)}${rest}`
}
