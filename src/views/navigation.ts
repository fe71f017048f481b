import { canAct } from '../domain/permissions.ts'
import type { CurrentUser } from '../features/users/users.repository.ts'
import { paths } from '../paths.ts'

export interface NavigationItem {
  href: string
  text: string
  active: boolean
}

/** The service navigation a user sees: only the places their roles let them go. */
export function navigationFor(user: CurrentUser | null, currentPath: string): NavigationItem[] {
  if (!user) return []
  const roles = user.memberships.map((m) => m.role)
  const items = [{ href: paths.home(), text: 'My work' }]
  if (canAct(roles, 'children.list')) items.push({ href: paths.children.list(), text: 'Children' })
  if (canAct(roles, 'schools.manage')) items.push({ href: paths.schools.list(), text: 'Schools' })
  if (canAct(roles, 'admin.users')) items.push({ href: paths.admin.users(), text: 'Users' })
  if (canAct(roles, 'forms.manage'))
    items.push({ href: paths.formSettings.list(), text: 'Form settings' })
  const path = currentPath.split('?')[0] ?? ''
  return items.map((item) => ({
    ...item,
    active: item.href === paths.home() ? path === item.href : path.startsWith(item.href),
  }))
}
