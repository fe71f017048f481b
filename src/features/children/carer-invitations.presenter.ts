import { z } from 'zod'
import { validateForm } from '../../forms/validation.ts'
import { paths } from '../../paths.ts'
import { formatDateTime } from '../../views/format.ts'
import { TOKEN_LIFETIME_MS } from '../account/invitations.service.ts'
import type { CarerInvitationRow } from './carer-invitations.repository.ts'
import type { CarerInvitationRefusal } from './carer-invitations.service.ts'

/* The words of inviting a carer to a child (issue 20), and the form's checks. */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export const carerInvitationSchema = z.object({
  name: z
    .string({ error: 'Enter the carer’s full name' })
    .trim()
    .min(1, 'Enter the carer’s full name')
    .max(200, 'Full name must be 200 characters or fewer'),
  email: z
    .string({ error: 'Enter the carer’s email address' })
    .trim()
    .min(1, 'Enter the carer’s email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .regex(EMAIL, 'Enter an email address in the correct format, like name@example.org'),
})

export const readCarerInvitation = (body: unknown) => validateForm(carerInvitationSchema, body)

/** What was typed, kept to show again. */
export function carerInvitationValues(body: Record<string, unknown> | undefined) {
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 500) : '')
  return { name: str(body?.name), email: str(body?.email) }
}

export const REFUSALS: Record<CarerInvitationRefusal, { field: 'email' | null; text: string }> = {
  'carer-invitation.not-a-carer': {
    field: 'email',
    text: 'This email address belongs to an account that cannot be a carer here: use the carer’s own email address',
  },
  'carer-invitation.already-has-access': {
    field: 'email',
    text: 'This carer can already see this child’s PEPs',
  },
  'carer-invitation.already-invited': {
    field: 'email',
    text: 'This carer has been invited already: send their invitation again from the list of carers',
  },
  'carer-invitation.not-found': { field: null, text: 'This invitation is no longer waiting' },
}

/** The carers pages' titles, each naming the child. */
export const CARERS_PAGE_TITLES = {
  list: (child: { firstName: string; lastName: string }) =>
    `Carers – ${child.firstName} ${child.lastName}`,
  /** The layout puts "Error: " before it when the form has errors. */
  invite: (child: { firstName: string; lastName: string }) =>
    `Invite a carer – ${child.firstName} ${child.lastName}`,
}

export const invitedText = (name: string, linked: boolean) =>
  linked
    ? `${name} can now see this child’s PEPs. We have emailed them to sign in.`
    : `We have emailed ${name} an invitation to set up their account.`
export const resentText = (name: string) => `We have sent ${name}’s invitation again.`
export const withdrawnText = (name: string) => `${name}’s invitation has been withdrawn.`

type Status = { text: string; classes: string }

function statusOf(row: CarerInvitationRow, now: Date): Status {
  if (row.withdrawnAt) return { text: 'Withdrawn', classes: 'govuk-tag--grey' }
  if (row.acceptedAt) return { text: 'Accepted', classes: 'govuk-tag--green' }
  const expired =
    row.accountStatus === 'invited' &&
    row.lastSentAt.getTime() + TOKEN_LIFETIME_MS.invitation <= now.getTime()
  return expired
    ? { text: 'Link expired', classes: 'govuk-tag--orange' }
    : { text: 'Invited', classes: 'govuk-tag--blue' }
}

/** The list of carers invited to a child, with what can be done to each still waiting. */
export function presentCarerInvitations(childId: string, rows: CarerInvitationRow[], now: Date) {
  return rows.map((row) => {
    const waiting = !row.withdrawnAt && !row.acceptedAt
    return {
      name: row.name,
      email: row.email,
      status: statusOf(row, now),
      sent: formatDateTime(row.lastSentAt),
      invitedBy: row.invitedByName ?? '',
      resendHref: waiting ? paths.children.resendCarerInvitation(childId, row.id) : null,
      withdrawHref: waiting ? paths.children.withdrawCarerInvitation(childId, row.id) : null,
    }
  })
}
