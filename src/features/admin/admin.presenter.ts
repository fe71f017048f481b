import type { UserStatus } from '../../db/schema.ts'
import { ROLES, ROLE_NAMES, isVirtualSchoolRole, type Role } from '../../domain/roles.ts'
import { paths } from '../../paths.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { formatDate, formatDateTime } from '../../views/format.ts'
import type { PaginationModel } from '../../views/pagination.ts'
import { escapeHtml, roleName } from '../audit/audit-log.presenter.ts'
import type { ManagedUser } from './admin-scope.repository.ts'
import type { UserChildAccessRow } from './admin-children.repository.ts'
import type { AuthorityOption, SchoolOption, UserListRow } from './admin-users.repository.ts'

export const USER_STATUSES: Record<UserStatus, { text: string; classes: string }> = {
  invited: { text: 'Invited', classes: 'govuk-tag--blue' },
  active: { text: 'Active', classes: 'govuk-tag--green' },
  deactivated: { text: 'Deactivated', classes: 'govuk-tag--grey' },
}

function statusTag(status: UserStatus): string {
  const tag = USER_STATUSES[status]
  return `<strong class="govuk-tag ${tag.classes}">${tag.text}</strong>`
}

function roleList(
  roles: { authorityName: string; role: Role }[],
  multipleAuthorities: boolean,
  suffix = '',
): string {
  return roles
    .map(
      (r) =>
        escapeHtml(ROLE_NAMES[r.role]) +
        (multipleAuthorities ? ` (${escapeHtml(r.authorityName)})` : '') +
        suffix,
    )
    .join('<br>')
}

export const NEW_USER_TITLE = 'Add a user'

export interface UserListFilters {
  q: string
  role: string
  status: string
}

export function presentUserList(input: {
  rows: UserListRow[]
  filters: UserListFilters
  pagination: PaginationModel
  multipleAuthorities: boolean
}) {
  const { filters } = input
  return {
    pageTitle: 'Users',
    filters,
    filtered: Boolean(filters.q || filters.role || filters.status),
    roleItems: [
      { value: '', text: 'Any role', selected: !filters.role },
      ...ROLES.map((r) => ({ value: r, text: ROLE_NAMES[r], selected: filters.role === r })),
      { value: 'none', text: 'No roles', selected: filters.role === 'none' },
    ],
    statusItems: [
      { value: '', text: 'Any status', selected: !filters.status },
      ...(Object.keys(USER_STATUSES) as UserStatus[]).map((s) => ({
        value: s,
        text: USER_STATUSES[s].text,
        selected: filters.status === s,
      })),
    ],
    pagination: input.pagination,
    rows: input.rows.map((u) => [
      {
        html: `<a class="govuk-link" href="${paths.admin.user(u.id)}">${escapeHtml(u.displayName)}</a><br><span class="govuk-body-s">${escapeHtml(u.email)}</span>`,
      },
      {
        html: !u.joined
          ? roleList(u.offers, input.multipleAuthorities, ' (invited)')
          : u.roles.length === 0
            ? 'No roles'
            : roleList(u.roles, input.multipleAuthorities),
      },
      { html: statusTag(u.status) },
      { text: u.lastSignInAt ? formatDateTime(u.lastSignInAt) : 'Never' },
    ]),
  }
}

export interface RoleFormValues {
  email?: string
  displayName?: string
  authorityId?: string
  role?: string
  schoolId?: string
}

/** The fields that give someone a role: authority (preselected when there is one), role, school. */
export function presentRoleFields(
  values: RoleFormValues,
  authorities: AuthorityOption[],
  schools: SchoolOption[],
) {
  const many = authorities.length > 1
  const authorityId = values.authorityId ?? (many ? '' : (authorities[0]?.id ?? ''))
  return {
    values: { ...values, authorityId },
    multipleAuthorities: many,
    authorityItems: [
      ...(many ? [{ value: '', text: 'Select an authority', selected: !authorityId }] : []),
      ...authorities.map((a) => ({ value: a.id, text: a.name, selected: a.id === authorityId })),
    ],
    roleItems: ROLES.map((r) => ({ value: r, text: ROLE_NAMES[r], checked: values.role === r })),
    schoolItems: [
      { value: '', text: 'No school', selected: !values.schoolId },
      ...schools.map((s) => ({
        value: s.id,
        text: many ? `${s.name} (${s.authorityName})` : s.name,
        selected: s.id === values.schoolId,
      })),
    ],
  }
}

/** The authorities' names, as words: "A", "A and B", "A, B and C". */
function namesOf(names: string[]): string {
  const unique = [...new Set(names)]
  return unique.length <= 1
    ? (unique[0] ?? '')
    : `${unique.slice(0, -1).join(', ')} and ${unique.at(-1)}`
}

/**
 * What the page says plainly when account-wide changes are not this administrator's (ADR 9);
 * undefined when they are.
 */
export function accountWideNotice(user: ManagedUser): string | undefined {
  if (!user.joined)
    return `${user.displayName} has not accepted their invitation yet. Until they do they have no roles here; you can send the invitation again or withdraw it.`
  if (user.rolesElsewhere) {
    const here = namesOf(user.memberships.map((m) => m.authorityName)) || 'your authority'
    return `${user.displayName} also has roles in another authority, so you cannot deactivate their account or reset their two-step verification. You can remove them from ${here}: that ends every role they have there.`
  }
  return undefined
}

/** The error summary's words when an account-wide change was refused (ADR 9). */
export function accountWideRefusalText(
  user: ManagedUser,
  change: 'deactivate' | 'reactivate' | 'reset-mfa',
  reason: 'roles-elsewhere' | 'pending',
): string {
  if (reason === 'pending')
    return `${user.displayName} has not accepted their invitation yet. Withdraw the invitation instead.`
  const what = {
    deactivate: `deactivate ${user.displayName}’s account`,
    reactivate: `reactivate ${user.displayName}’s account`,
    'reset-mfa': `reset ${user.displayName}’s two-step verification`,
  }[change]
  const instead =
    change === 'reset-mfa'
      ? 'They can sign in with one of their recovery codes and set it up again.'
      : 'You can remove their roles here instead.'
  return `You cannot ${what} because they also have roles in another authority. ${instead}`
}

export function presentUser(user: ManagedUser, viewerId: string) {
  const row = (key: string, value: { text?: string; html?: string }) => ({
    key: { text: key },
    value,
  })
  const notice = accountWideNotice(user)
  if (!user.joined) return presentInvitedUser(user, notice!)
  return {
    pageTitle: user.displayName,
    user,
    isSelf: user.id === viewerId,
    accountWide: notice === undefined,
    notice,
    noRoles: user.memberships.length === 0,
    // Whole authorities this person can be removed from at once: offered where the account is
    // not the viewer's alone, since then that is all the viewer can do (ADR 9).
    removableFrom:
      notice === undefined || user.id === viewerId
        ? []
        : [...new Map(user.memberships.map((m) => [m.authorityId, m.authorityName])).entries()].map(
            ([id, name]) => ({ id, name }),
          ),
    summaryRows: [
      row('Full name', { text: user.displayName }),
      row('Email address', { text: user.email }),
      row('Status', { html: statusTag(user.status) }),
      row('Two-step verification', {
        text: user.mfaEnabledAt ? `Set up on ${formatDate(user.mfaEnabledAt)}` : 'Not set up',
      }),
      row('Last signed in', {
        text: user.lastSignInAt ? formatDateTime(user.lastSignInAt) : 'Never',
      }),
      row('Account created', { text: formatDate(user.createdAt) }),
    ],
    memberships: user.memberships.map((m) => ({
      id: m.id,
      roleName: ROLE_NAMES[m.role],
      authorityName: m.authorityName,
      schoolName: m.schoolName ?? '',
      // Said on the page rather than refused after a click: your own administrator role stays.
      removable: !(m.role === 'vs_admin' && user.id === viewerId),
    })),
  }
}

/**
 * Someone invited who has not accepted: only what the administrator typed, the invitation and
 * the roles it offers, the same whether or not the address had an account (ADR 9).
 */
function presentInvitedUser(user: ManagedUser, notice: string) {
  const row = (key: string, value: { text?: string; html?: string }) => ({
    key: { text: key },
    value,
  })
  return {
    pageTitle: user.displayName,
    user,
    isSelf: false,
    accountWide: false,
    invited: true,
    notice,
    noRoles: true,
    summaryRows: [
      row('Full name', { text: user.displayName }),
      row('Email address', { text: user.email }),
      row('Status', { html: statusTag('invited') }),
      row('Invitation sent', { text: user.invitedAt ? formatDateTime(user.invitedAt) : '' }),
    ],
    memberships: [],
    offers: user.roleOffers.map((m) => ({
      roleName: ROLE_NAMES[m.role],
      authorityName: m.authorityName,
      schoolName: m.schoolName ?? '',
    })),
  }
}

export function presentUserChildren(input: {
  user: ManagedUser
  childCounts: Map<string, number>
  rows: UserChildAccessRow[]
  pagination: PaginationModel
  values: { caseReference?: string; capacity?: string }
}) {
  const { user } = input
  const everyChild = user.memberships
    .filter((m) => isVirtualSchoolRole(m.role) || m.role === 'auditor')
    .map((m) => {
      const n = input.childCounts.get(m.authorityId) ?? 0
      return `As ${ROLE_NAMES[m.role].toLowerCase()} they can see all ${n} ${n === 1 ? 'child' : 'children'} of ${m.authorityName}.`
    })
  const capacities = [
    ...new Set(
      user.memberships
        .map((m) => m.role)
        .filter((r): r is Role => !isVirtualSchoolRole(r) && r !== 'auditor'),
    ),
  ]
  return {
    pageTitle: `Children ${user.displayName} can see`,
    user,
    everyChild,
    rows: input.rows.map((r) => ({
      id: r.id,
      childId: r.childId,
      childName: `${r.firstName} ${r.lastName}`,
      caseReference: r.caseReference,
      capacity: roleName(r.capacity),
      added: `${formatDate(r.addedAt)}${r.addedByName ? ` by ${r.addedByName}` : ''}`,
    })),
    pagination: input.pagination,
    values: input.values,
    capacityItems: capacities.map((r) => ({
      value: r,
      text: ROLE_NAMES[r],
      checked: input.values.capacity === r || capacities.length === 1,
    })),
  }
}

export type FormState = { errors?: FormErrors; values?: RoleFormValues }
