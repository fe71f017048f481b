import type { Role } from '../domain/roles.ts'
import type { CurrentUser } from './users.ts'
import { GROUP_TRAYS, type GroupTray } from './tasks.ts'

/*
 * Group trays: work for a team rather than a person. Business support officers share one tray,
 * Virtual School consultants and heads another, each per authority. Someone picks a task up
 * (it moves to their own tray), releases it back, or reassigns it to a colleague of the group.
 */

/** The roles that work a group tray, in the authority where they hold them. */
export const GROUP_ROLES: Record<GroupTray, readonly Role[]> = {
  business_support: ['business_support'],
  vs_consultant: ['vs_consultant', 'vs_head'],
}

export const GROUP_NAMES: Record<GroupTray, string> = {
  business_support: 'Business support tray',
  vs_consultant: 'Virtual School consultants’ tray',
}

/** How a group appears in an address: /tray/group/business-support. */
const GROUP_SLUGS: Record<GroupTray, string> = {
  business_support: 'business-support',
  vs_consultant: 'vs-consultants',
}

export function groupSlug(group: GroupTray): string {
  return GROUP_SLUGS[group]
}

export function groupFromSlug(slug: unknown): GroupTray | undefined {
  return GROUP_TRAYS.find((g) => GROUP_SLUGS[g] === slug)
}

export function isGroupTray(value: unknown): value is GroupTray {
  return (GROUP_TRAYS as readonly unknown[]).includes(value)
}

/** The authorities in which this user works the group's tray. */
export function groupAuthorities(user: CurrentUser, group: GroupTray): string[] {
  const roles = GROUP_ROLES[group]
  return [
    ...new Set(user.memberships.filter((m) => roles.includes(m.role)).map((m) => m.authorityId)),
  ]
}

/** The group trays this user works, in any authority. */
export function groupsOf(user: CurrentUser): GroupTray[] {
  return GROUP_TRAYS.filter((g) => groupAuthorities(user, g).length > 0)
}
