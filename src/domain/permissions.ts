import type { Role } from './roles.ts'

/**
 * Every action a route can require, and the roles that may take it. A route names one action;
 * the auth plugin refuses anyone whose role in the relevant authority is not listed.
 */
export const ACTIONS = {
  'children.list': ['vs_admin', 'vs_head', 'vs_consultant', 'business_support', 'auditor'],
  'mailbox.view': ['vs_admin'],
} as const satisfies Record<string, readonly Role[]>

export type Action = keyof typeof ACTIONS

export function rolesFor(action: Action): readonly Role[] {
  return ACTIONS[action]
}

export function canAct(roles: readonly Role[], action: Action): boolean {
  const allowed: readonly Role[] = ACTIONS[action]
  return roles.some((role) => allowed.includes(role))
}
