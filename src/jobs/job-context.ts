import type { Database, Queryable } from '../db/connection.ts'
import { columnsOf, unnestRows } from '../db/unnest.ts'
import type { CalendarDate } from '../domain/calendar-date.ts'
import type { AuditAction } from '../domain/audit.ts'
import { recordAuditEvent } from '../shared/audit-events.ts'
import { closureDaySet } from '../shared/settings.ts'

/*
 * What every job handler takes and shares. A handler is a plain async function of
 * `{ db, now }` (and what it needs): the queue only decides when it runs, and a test calls it
 * with a fixed `now`.
 */

export interface JobContext {
  db: Database
  /** The instant the job runs for; "today" is its date in England. */
  now: Date
}

/** The role recorded in the audit trail for what OpenPEP does by itself, on no one's behalf. */
export const SYSTEM_ROLE = 'system'

/**
 * Records that a job has done something once: a row keyed by kind, subject and day. True when
 * the row is new (go ahead, in this same transaction); false when it was done before. Two
 * processes racing for the same key wait on each other and only one gets true.
 */
export async function claimNotice(
  trx: Queryable,
  notice: {
    kind: string
    subjectId: string
    forDate: CalendarDate
    authorityId: string
    at: Date
    details?: Record<string, unknown>
  },
): Promise<boolean> {
  const row = await trx
    .insertInto('scheduled_notice')
    .values({
      kind: notice.kind,
      subject_id: notice.subjectId,
      for_date: notice.forDate,
      authority_id: notice.authorityId,
      created_at: notice.at,
      details: JSON.stringify(notice.details ?? {}),
    })
    .onConflict((oc) => oc.columns(['kind', 'subject_id', 'for_date']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/**
 * `claimNotice` for many keys at once, in one statement (the notices sent as arrays and
 * unnested, src/db/unnest.ts): returns the keys (`subjectId|forDate`) whose rows are new. A key
 * given twice is claimed by its first.
 */
export async function claimNotices(
  trx: Queryable,
  notices: readonly {
    kind: string
    subjectId: string
    forDate: CalendarDate
    authorityId: string
    at: Date
    details?: Record<string, unknown>
  }[],
): Promise<Set<string>> {
  const fresh = new Set<string>()
  if (notices.length === 0) return fresh
  const columns = {
    kind: 'text',
    subject_id: 'uuid',
    for_date: 'date',
    authority_id: 'uuid',
    created_at: 'timestamptz',
    details: 'jsonb',
  } as const
  const rows = await trx
    .insertInto('scheduled_notice')
    .columns(columnsOf(columns))
    .expression(
      unnestRows(
        columns,
        notices.map((notice) => ({
          kind: notice.kind,
          subject_id: notice.subjectId,
          for_date: notice.forDate,
          authority_id: notice.authorityId,
          created_at: notice.at,
          details: JSON.stringify(notice.details ?? {}),
        })),
      ),
    )
    .onConflict((oc) => oc.columns(['kind', 'subject_id', 'for_date']).doNothing())
    .returning(['subject_id', 'for_date'])
    .execute()
  for (const row of rows) fresh.add(`${row.subject_id}|${row.for_date}`)
  return fresh
}

/** An audit event for something OpenPEP did by itself: no user, the system role. */
export async function auditSystem(
  trx: Queryable,
  event: {
    action: AuditAction
    at: Date
    authorityId: string
    childId?: string | null
    subjectUserId?: string | null
    details: Record<string, unknown>
  },
): Promise<void> {
  await recordAuditEvent(trx, {
    occurredAt: event.at,
    userId: null,
    actingRole: SYSTEM_ROLE,
    authorityId: event.authorityId,
    action: event.action,
    outcome: 'success',
    childId: event.childId ?? null,
    subjectUserId: event.subjectUserId ?? null,
    details: event.details,
  })
}

export async function listAuthorities(db: Queryable): Promise<{ id: string }[]> {
  return db.selectFrom('authority').select('id').orderBy('id').execute()
}

/** The authority's closure days, which working days skip besides weekends and bank holidays. */
export const closureDaysOf = (db: Queryable, authorityId: string) => closureDaySet(db, authorityId)
