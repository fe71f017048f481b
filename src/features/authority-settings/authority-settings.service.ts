import type { Database } from '../../db/connection.ts'
import type { AuthoritySettings } from '../../domain/authority-settings.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { saveAuthoritySettings } from './authority-settings.repository.ts'
import { addClosureDay, removeClosureDay } from './closure-days.repository.ts'

/*
 * Changing an authority's settings and closure days: each change one transaction with its audit
 * event (ADR 7). The routes load the authority (theirs, proven by the pre-handler) and read the form.
 */

export type ClosureDayRefusal = 'closure-day.taken' | 'closure-day.not-found'

/** The settings that differ, each with its old and new value, for the audit trail. */
function changesBetween(
  before: AuthoritySettings,
  after: Partial<AuthoritySettings>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {}
  for (const [key, value] of Object.entries(after)) {
    const old = before[key as keyof AuthoritySettings]
    if (JSON.stringify(old) !== JSON.stringify(value)) changes[key] = { from: old, to: value }
  }
  return changes
}

/** Saves one page of an authority's settings, auditing each setting that changed, old and new. */
export async function saveSettingsPage(
  db: Database,
  actor: PersonActor,
  input: { authorityId: string; page: string; settings: Partial<AuthoritySettings> },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await loadAuthoritySettings(trx, input.authorityId)
    const changes = changesBetween(before, input.settings)
    await saveAuthoritySettings(trx, input.authorityId, input.settings, actor.now)
    await audit(trx, actor, {
      action: 'authority.settings.update',
      authorityId: input.authorityId,
      details: { page: input.page, changes },
    })
  })
}

/** Adds a closure day; refused when the authority has that day already (added meanwhile). */
export async function addAuthorityClosureDay(
  db: Database,
  actor: PersonActor,
  input: { authorityId: string; onDate: CalendarDate; description: string },
): Promise<Result<void, ClosureDayRefusal>> {
  const { authorityId, onDate, description } = input
  return db.transaction().execute(async (trx) => {
    const added = await addClosureDay(trx, authorityId, {
      onDate,
      description,
      createdBy: actor.userId,
      at: actor.now,
    })
    if (!added) return refuse('closure-day.taken')
    await audit(trx, actor, {
      action: 'authority.closure-day.add',
      authorityId,
      details: { onDate, description },
    })
    return ok(undefined)
  })
}

/** Removes a closure day; refused when the authority has no such day. */
export async function removeAuthorityClosureDay(
  db: Database,
  actor: PersonActor,
  input: { authorityId: string; onDate: CalendarDate },
): Promise<Result<void, ClosureDayRefusal>> {
  return db.transaction().execute(async (trx) => {
    const removed = await removeClosureDay(trx, input.authorityId, input.onDate)
    if (!removed) return refuse('closure-day.not-found')
    await audit(trx, actor, {
      action: 'authority.closure-day.remove',
      authorityId: input.authorityId,
      details: { onDate: removed.onDate, description: removed.description },
    })
    return ok(undefined)
  })
}
