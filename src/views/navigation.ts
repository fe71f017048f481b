import { canAct } from '../domain/permissions.ts'
import type { CurrentUser } from '../shared/users.ts'
import { paths } from '../paths.ts'

export interface NavigationItem {
  href: string
  text: string
  /** Markup instead of text (the tray's count); built here from numbers only. */
  html?: string
  active: boolean
}

/**
 * Where the tray's count goes in a rendered page. It is filled in as the page is sent
 * (src/features/trays/tray-count-context.ts), so a request answered without a page, such as a
 * save's redirect, never counts. Escaped text cannot make it: its `<` would be `&lt;`.
 */
export const TRAY_COUNT_MARK = '<!--openpep:tray-count-->'

/** The count after "Tray": "(3)", read out as ", 3 items"; nothing for none. */
export function trayCountMarkup(count: number): string {
  if (!count) return ''
  const items = `${count} ${count === 1 ? 'item' : 'items'}`
  return ` <span aria-hidden="true">(${count})</span><span class="govuk-visually-hidden">, ${items}</span>`
}

function trayItem(): Omit<NavigationItem, 'active'> {
  return { href: paths.trays.mine(), text: 'Tray', html: `Tray${TRAY_COUNT_MARK}` }
}

/** Someone whose only role is the young person's: they get their own part (issue 20). */
export function isYoungPersonOnly(user: Pick<CurrentUser, 'memberships'>): boolean {
  return user.memberships.length > 0 && user.memberships.every((m) => m.role === 'young_person')
}

/** Someone whose only role is the carer's: they get their own home, not staff's (issue 20). */
export function isCarerOnly(user: Pick<CurrentUser, 'memberships'>): boolean {
  return user.memberships.length > 0 && user.memberships.every((m) => m.role === 'carer')
}

/** The service navigation a user sees: only the places their roles let them go. */
export function navigationFor(user: CurrentUser | null, currentPath: string): NavigationItem[] {
  if (!user) return []
  // The young person's part has one place: their PEP (their home, and what hangs from it).
  if (isYoungPersonOnly(user))
    return [{ href: paths.home(), text: 'My PEP', active: currentPath.startsWith('/my-pep') }]
  // The carer's part has one place too: the children in their care (no tray, no staff pages).
  if (isCarerOnly(user))
    return [
      {
        href: paths.carer.home(),
        text: 'Children in your care',
        active: currentPath === paths.home() || currentPath.startsWith(paths.carer.home()),
      },
    ]
  const roles = user.memberships.map((m) => m.role)
  const items: Omit<NavigationItem, 'active'>[] = [{ href: paths.home(), text: 'My work' }]
  if (canAct(roles, 'tray.view')) items.push(trayItem())
  if (canAct(roles, 'children.list')) items.push({ href: paths.children.list(), text: 'Children' })
  if (canAct(roles, 'oversight.view'))
    items.push({ href: paths.oversight.dashboard(), text: 'Dashboard' })
  if (canAct(roles, 'funding.oversee'))
    items.push({ href: paths.funding.overview(), text: 'Pupil Premium' })
  if (canAct(roles, 'schools.manage')) items.push({ href: paths.schools.list(), text: 'Schools' })
  if (canAct(roles, 'admin.users')) items.push({ href: paths.admin.users(), text: 'Users' })
  if (canAct(roles, 'forms.manage'))
    items.push({ href: paths.formSettings.list(), text: 'Form settings' })
  if (canAct(roles, 'authority.settings'))
    items.push({ href: paths.authoritySettings.overview(), text: 'Settings' })
  const path = currentPath.split('?')[0] ?? ''
  return items.map((item) => ({
    ...item,
    active: item.href === paths.home() ? path === item.href : path.startsWith(item.href),
  }))
}
