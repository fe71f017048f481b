import { ROLE_NAMES, type Role } from '../../domain/roles.ts'
import { formatDate } from '../../views/format.ts'
import { SIGN_IN_MESSAGES } from '../auth/auth.presenter.ts'
import type { PendingInvitation } from './invitations.service.ts'

/* The words of the account pages. */

export const VIEWS = 'account/views'
export const MAX_REMINDER_ADDRESSES = 5
export const EMAIL_FORMAT = 'Enter an email address in the correct format, like name@example.org'
export const CURRENT_PASSWORD_MISSING = 'Enter your current password'
export const PASSWORD_CHANGED =
  'Your password has been changed. You have been signed out on every other device.'

/** Why the current password was refused. */
export const currentPasswordRefusedText = (code: string) =>
  code === 'account.locked' ? SIGN_IN_MESSAGES.locked : 'Your current password is not correct'

/** What is wrong with the addresses typed for a forgotten email. */
export function reminderProblemText(problem: 'none' | 'too-many' | 'format'): string {
  if (problem === 'none') return 'Enter at least one email address'
  if (problem === 'too-many') return `Enter no more than ${MAX_REMINDER_ADDRESSES} email addresses`
  return `${EMAIL_FORMAT}, one on each line`
}

/** The titles of the account pages. */
export const ACCOUNT_TITLES = {
  home: 'Your account',
  changePassword: 'Change your password',
  forgottenPassword: 'Reset your password',
  forgottenEmail: 'Find which email address you use',
  checkYourEmail: 'Check your email',
  linkExpired: 'This link has expired',
  setPassword: 'Set your password',
  resetPassword: 'Reset your password',
} as const

/** The page where an invitation or a password reset sets a password. */
export const setPasswordPage = (purpose: 'invitation' | 'password_reset') =>
  purpose === 'invitation' ? `${VIEWS}/accept-invitation.njk` : `${VIEWS}/reset-password.njk`

/** The title of the page where an invitation or a password reset sets a password. */
export const setPasswordTitle = (purpose: 'invitation' | 'password_reset') =>
  purpose === 'invitation' ? ACCOUNT_TITLES.setPassword : ACCOUNT_TITLES.resetPassword

export const INVITATIONS_TITLE = 'Invitations'

/** The invitations a person has not yet answered, as the invitations page lists them. */
export const invitationRows = (invitations: readonly PendingInvitation[]) =>
  invitations.map((i) => ({
    authorityId: i.authorityId,
    authorityName: i.authorityName,
    roles: i.roles.map((r) => ROLE_NAMES[r.role] + (r.schoolName ? ` at ${r.schoolName}` : '')),
    sent: `${i.invitedByName ? `${i.invitedByName}, ` : ''}${formatDate(i.invitedAt)}`,
  }))

/** The message once an invitation is accepted, naming the roles joined in. */
export function joinedText(authorityName: string, roles: readonly Role[]): string {
  const names = roles.map((r) => ROLE_NAMES[r]).join(' and ')
  return `You have joined ${authorityName}${names ? ` as ${names}` : ''}.`
}

export const declinedText = (authorityName: string) =>
  `You have declined the invitation from ${authorityName}.`
