import { formError, type FormErrors } from '../../forms/validation.ts'
import { paths } from '../../paths.ts'
import { CODE_MESSAGES, SIGN_IN_MESSAGES, passwordsOff } from './auth.presenter.ts'

/* What the sign-in forms read: the address to go back to, and a field as typed. */

const SAME_SITE = 'https://openpep.invalid'
/** Whitespace and control characters: browsers drop tabs and newlines, so `/\t/x` means `//x`. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNSAFE_CHARACTERS = /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/

/**
 * Only a path on this site may be returned to after sign-in, never another origin. Refused (and
 * replaced by the home page): anything not starting with exactly one `/`, any backslash or
 * whitespace (browsers read `\` as `/` and drop tabs and newlines, so `/\t/x` is `//x`), and a
 * path that does any of that once percent-decoded, however many times (`/%2F%2Fx`, `/%5Cx`,
 * `/%252F%252Fx`), so no later decoding can turn it into another origin. Dot segments are
 * resolved first (`/.//x` is `//x`).
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000 || !isSameSitePath(value))
    return paths.home()
  let path = value.split(/[?#]/, 1)[0]!
  for (let i = 0; i < 5; i++) {
    const decoded = decodeOrUndefined(path)
    if (decoded === undefined || !isSameSitePath(decoded)) return paths.home()
    if (decoded === path) break
    path = decoded
  }
  const url = new URL(value, SAME_SITE)
  if (url.origin !== SAME_SITE || !isSameSitePath(url.pathname)) return paths.home()
  return `${url.pathname}${url.search}${url.hash}`
}

function isSameSitePath(value: string): boolean {
  return (
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.includes('\\') &&
    !UNSAFE_CHARACTERS.test(value)
  )
}

function decodeOrUndefined(value: string): string | undefined {
  try {
    return decodeURIComponent(value)
  } catch {
    return undefined
  }
}

/** A field of a posted form as typed, or '' when it is missing or not text. */
export const stringField = (body: unknown, name: string) => {
  const value = (body as Record<string, unknown> | undefined)?.[name]
  return typeof value === 'string' ? value : ''
}

/** The code field's error on the security code, recovery code and set-up pages. */
export const codeErrors = (message: keyof typeof CODE_MESSAGES): FormErrors =>
  formError('code', CODE_MESSAGES[message])

/** A wrong address or password, or an address locked after too many tries. */
export const signInErrors = (locked: boolean): FormErrors =>
  formError('email', locked ? SIGN_IN_MESSAGES.locked : SIGN_IN_MESSAGES.wrong)

/** The authority has switched passwords off: its provider is the way in. */
export const passwordsOffErrors = (authorityName: string, providerName: string): FormErrors =>
  formError('password', passwordsOff(authorityName, providerName))
