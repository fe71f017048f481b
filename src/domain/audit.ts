/** The names of things the audit trail records, with the words an administrator reads. */
export const AUDIT_ACTIONS = {
  'sign-in.success': 'Signed in',
  'sign-in.failure': 'Failed to sign in',
  'sign-in.locked': 'Sign-in refused: account locked',
  'sign-in.mfa-failure': 'Entered a wrong security code',
  'sign-out': 'Signed out',
  'sign-out.everywhere': 'Signed out everywhere',
  'session.expired': 'Session expired',
  'account.invitation-accepted': 'Accepted an invitation',
  'account.password-reset-requested': 'Asked to reset a password',
  'account.password-changed': 'Changed their password',
  'account.mfa-enabled': 'Set up two-step verification',
  'account.recovery-code-used': 'Used a recovery code',
  'access.denied': 'Was refused access',
  'home.view': 'Viewed My work',
  'children.list': 'Viewed the list of children',
  'child.view': "Viewed a child's record",
  'child.audit.view': "Viewed a child's access log",
  'child.access.view': "Viewed a child's access list",
  'child.access.add': "Added someone to a child's access list",
  'child.access.remove': "Removed someone from a child's access list",
  'child.notes.view': "Viewed a child's notes",
  'child.note.add': 'Added a note',
  'child.documents.view': "Viewed a child's documents",
  'child.document.upload': 'Uploaded a document',
  'child.document.download': 'Downloaded a document',
  'child.history.view': "Viewed a child's school history and events",
  'child.event.record': "Recorded a change to a child's circumstances",
  'child.event.view': 'Opened a form to record a change',
  'admin.users.view': 'Viewed users',
  'admin.user.view': 'Viewed a user',
  'admin.user.invite': 'Invited a user',
  'admin.user.update': 'Changed a user',
  'admin.user.deactivate': 'Deactivated a user',
  'admin.user.reactivate': 'Reactivated a user',
  'admin.user.reset-mfa': "Reset a user's two-step verification",
  'admin.user.membership': "Changed a user's roles",
  'admin.user.children': 'Viewed the children a user can see',
  'admin.child-access.change': "Changed a child's access list",
  'admin.audit.view': "Viewed a user's activity log",
} as const

export type AuditAction = keyof typeof AUDIT_ACTIONS

export function describeAuditAction(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action
}
