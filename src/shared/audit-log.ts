import type { Queryable } from '../db/connection.ts'
import type { AuditOutcome } from '../db/schema.ts'
import type { AuditAction } from '../domain/audit.ts'

/** What the trail is narrowed to: the filter form of an activity or access log, once read. */
export interface AuditLogFilter {
  /** The first instant shown: midnight in the UK at the start of "from". */
  from?: Date
  /** The first instant not shown: midnight in the UK after "to". */
  before?: Date
  action?: AuditAction
}

export interface AuditLogRow {
  id: string
  occurredAt: Date
  action: string
  outcome: AuditOutcome
  actingRole: string | null
  ip: string | null
  userId: string | null
  userName: string | null
  childId: string | null
  childAuthorityId: string | null
  childFirstName: string | null
  childLastName: string | null
}

export interface AuditLogPage {
  rows: AuditLogRow[]
  total: number
}

type Subject =
  | {
      userId: string
      /**
       * Only events in these authorities (ADR 9: an administrator reads a person's activity in
       * their own authorities), and, when `accountEvents`, those in none (signing in, passwords):
       * given only to an administrator of the whole account.
       */
      within?: { authorityIds: readonly string[]; accountEvents: boolean }
    }
  | { childId: string }

/**
 * One page of the trail, newest first, for one user (what they did) or one child (everything
 * done to their record). Each reads an index that starts with its subject and runs by time
 * (audit_event_user_idx, audit_event_child_idx), so the dates narrow the scan and the page is
 * read in index order.
 */
export async function listAuditEvents(
  db: Queryable,
  subject: Subject,
  filter: AuditLogFilter,
  page: { offset: number; limit: number },
): Promise<AuditLogPage> {
  let base = db.selectFrom('audit_event as e')
  base =
    'userId' in subject
      ? base.where('e.user_id', '=', subject.userId)
      : base.where('e.child_id', '=', subject.childId)
  const within = 'userId' in subject ? subject.within : undefined
  if (within) {
    base = base.where((eb) =>
      eb.or([
        ...(within.authorityIds.length ? [eb('e.authority_id', 'in', within.authorityIds)] : []),
        ...(within.accountEvents ? [eb('e.authority_id', 'is', null)] : []),
        eb.lit(false),
      ]),
    )
  }
  if (filter.from) base = base.where('e.occurred_at', '>=', filter.from)
  if (filter.before) base = base.where('e.occurred_at', '<', filter.before)
  if (filter.action) base = base.where('e.action', '=', filter.action)
  const [rows, count] = await Promise.all([
    base
      .leftJoin('app_user as u', 'u.id', 'e.user_id')
      .leftJoin('child as c', 'c.id', 'e.child_id')
      .select([
        'e.id',
        'e.occurred_at as occurredAt',
        'e.action',
        'e.outcome',
        'e.acting_role as actingRole',
        'e.ip',
        'e.user_id as userId',
        'u.display_name as userName',
        'e.child_id as childId',
        'c.authority_id as childAuthorityId',
        'c.first_name as childFirstName',
        'c.last_name as childLastName',
      ])
      .orderBy('e.occurred_at', 'desc')
      .orderBy('e.id')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.total) }
}
