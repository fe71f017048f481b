import { ROLE_NAMES, type Role } from '../../domain/roles.ts'
import type { Refusal } from '../../shared/result.ts'
import type { InviteUserResult } from '../account/invitations.service.ts'
import type { ScopedMembership, ManagedUser } from './admin-scope.repository.ts'
import { accountWideRefusalText } from './admin.presenter.ts'
import type { AccountWideRefusal, AdminRefusal } from './admin-users.service.ts'
import type { ChildAccessRefusal } from './admin-child-access.service.ts'

/*
 * The words of an administrator's changes to a user (ADR 7: the services answer with codes, this
 * says them): what the banner says once a change is made, and why one was refused.
 */

export function userAddedMessage(
  kind: InviteUserResult['kind'],
  input: { displayName: string; email: string; role: Role },
): string {
  const role = ROLE_NAMES[input.role]
  return {
    invited: `${input.displayName} has been invited as ${role}. We have emailed them an invitation; they join when they accept it.`,
    'role-added': `${input.email} already had an account. They are now also ${role}.`,
    'already-has-role': `${input.email} already had an account with the role ${role}. Nothing has changed.`,
  }[kind]
}

export function roleAddedMessage(
  user: ManagedUser,
  role: Role,
  result: 'added' | 'already-has-role',
): string {
  return result === 'added'
    ? `${user.displayName} is now also ${ROLE_NAMES[role]}.`
    : `${user.displayName} already had the role ${ROLE_NAMES[role]}. Nothing has changed.`
}

export const NOT_MEMBER_TEXT =
  'Select an authority they have joined. To add them to another, invite them from Add a user'

export const roleRemovedMessage = (membership: ScopedMembership) =>
  `The role ${ROLE_NAMES[membership.role]} of ${membership.authorityName} has been removed.`

/** Why a role (or every role in an authority) was not removed. */
export function removalRefusalText(
  error: Refusal<AdminRefusal>,
  change: 'role' | 'authority',
): string {
  if (error.code === 'admin.user.self')
    return change === 'role'
      ? 'You cannot remove your own Virtual School administrator role. Ask another administrator to do it.'
      : 'You cannot remove yourself from your own authority. Ask another administrator to do it.'
  return `You cannot remove the last active Virtual School administrator of ${error.params?.authorityName}. Add another administrator first.`
}

export const removedFromAuthorityMessage = (user: ManagedUser, authorityName: string) =>
  `${user.displayName} has been removed from ${authorityName}: they no longer have any role there.`

const accountWide = (code: AdminRefusal): code is AccountWideRefusal =>
  code === 'admin.user.roles-elsewhere' || code === 'admin.user.pending'

/** Why an account-wide change (deactivating, reactivating, resetting two-step verification) was refused. */
export function accountRefusalText(
  user: ManagedUser,
  change: 'deactivate' | 'reactivate' | 'reset-mfa',
  code: AdminRefusal,
): string {
  if (accountWide(code))
    return accountWideRefusalText(
      user,
      change,
      code === 'admin.user.pending' ? 'pending' : 'roles-elsewhere',
    )
  if (code === 'admin.user.self') return 'You cannot deactivate your own account.'
  return `You cannot deactivate ${user.displayName}: they are the only active Virtual School administrator of an authority. Add another administrator first.`
}

export const deactivatedMessage = (user: ManagedUser) =>
  `${user.displayName} has been deactivated and signed out. They cannot sign in until they are reactivated.`

export function reactivatedMessage(user: ManagedUser, status: 'active' | 'invited' | 'already') {
  return status === 'active'
    ? `${user.displayName} has been reactivated and can sign in again.`
    : status === 'invited'
      ? `${user.displayName} has been reactivated. They have not accepted their invitation yet: send it again so they have a link that works.`
      : `${user.displayName} was not deactivated. Nothing has changed.`
}

export const MFA_RESET_MESSAGE =
  'Two-step verification has been reset and the user has been signed out. They will set it up again when they next sign in.'

export const invitationResentMessage = (result: 'sent' | 'not-invited') =>
  result === 'sent'
    ? 'A new invitation has been sent. The link in any earlier invitation no longer works.'
    : 'This user has already accepted their invitation. Nothing was sent.'

export const invitationWithdrawnMessage = (
  user: ManagedUser,
  result: 'withdrawn' | 'not-invited',
) =>
  result === 'not-invited'
    ? `${user.displayName} has already joined. Nothing has changed.`
    : `The invitation to ${user.displayName} (${user.email}) has been withdrawn. The link in it no longer works.`

/** The field and words of a refused place on a child's list. */
export function childAccessRefusal(
  user: ManagedUser,
  code: Exclude<ChildAccessRefusal, 'admin.user.not-found'>,
): [field: 'caseReference' | 'capacity', text: string] {
  return code === 'admin.child-access.no-such-child'
    ? ['caseReference', 'Enter the case reference of a child your authority looks after']
    : code === 'admin.child-access.capacity'
      ? ['capacity', 'Select a role they hold in the child’s authority']
      : ['caseReference', `${user.displayName} can already see this child`]
}

export const childAddedMessage = (user: ManagedUser, childName: string) =>
  `${user.displayName} can now see ${childName}.`

export const childRemovedMessage = (childName: string) =>
  `${childName} has been taken off their list.`

export const activityTitle = (user: ManagedUser) => `Activity of ${user.displayName}`
