/* The words of signing in: the notices and refusals a person reads on its pages (ADR 7). */

import { TOO_MANY_ATTEMPTS_TITLE } from '../../shared/throttle.ts'

/** The titles of the sign-in pages. */
export const SIGN_IN_TITLES = {
  signIn: 'Sign in',
  securityCode: 'Enter your security code',
  recoveryCode: 'Enter a recovery code',
  setUpMfa: 'Set up two-step verification',
  recoveryCodes: 'Save your recovery codes',
  tooManyAttempts: TOO_MANY_ATTEMPTS_TITLE,
} as const

export const SIGN_IN_MESSAGES = {
  wrong: 'Enter a correct email address and password',
  locked: 'You have tried too many times. Try again in 15 minutes or reset your password',
  signedOutEverywhere: 'You have been signed out on every device.',
  expired: 'You were signed out after 12 hours. Sign in again to carry on.',
  passwordReset: 'Your password has been changed. Sign in with your new password.',
  unsaved:
    'You were signed out, so what you sent was not saved yet. It has been kept: sign in again and it will be shown for you to check and save.',
} as const

/** The notice a link to the sign-in page asks for (`?notice=`). */
export const NOTICES: Record<string, string> = {
  everywhere: SIGN_IN_MESSAGES.signedOutEverywhere,
  expired: SIGN_IN_MESSAGES.expired,
  unsaved: SIGN_IN_MESSAGES.unsaved,
  'password-reset': SIGN_IN_MESSAGES.passwordReset,
  locked: SIGN_IN_MESSAGES.locked,
}

export const CODE_MESSAGES = {
  missingSecurityCode: 'Enter the security code',
  missingSetUpCode: 'Enter the security code from your authenticator app',
  wrongSecurityCode:
    'The security code is not correct. Enter the code your authenticator app shows now',
  securityCodeShape: 'Enter the security code as 6 digits',
  missingRecoveryCode: 'Enter a recovery code',
  wrongRecoveryCode:
    'The recovery code is not correct or has already been used. Each code works once',
} as const

export const recoveryCodesLeft = (left: number) =>
  left === 1 ? 'You have 1 recovery code left.' : `You have ${left} recovery codes left.`

/** A password typed where the authority signs its people in with their organisation (ADR 14). */
export const passwordsOff = (authorityName: string, providerName: string) =>
  `${authorityName} does not use OpenPEP passwords for your email address. Sign in with ${providerName} instead: leave the password blank and select Sign in`
