import type { CurrentUser } from '../../shared/users.ts'

/*
 * The number on the header's "Tray" item. Pages are rendered synchronously, so the count is
 * read before the handler (one query, by the trays plugin's preHandler hook) and kept against
 * the request's user object: each request loads its own, so a count never outlives its request
 * and never reaches another user.
 */
const counts = new WeakMap<CurrentUser, number>()

export function rememberTrayCount(user: CurrentUser, count: number): void {
  counts.set(user, count)
}

/** The user's open tasks and unread alerts, when counted for this request. */
export function trayCountFor(user: CurrentUser): number | undefined {
  return counts.get(user)
}
