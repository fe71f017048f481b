import type { Queryable } from '../db/connection.ts'
import type { AuditOutcome } from '../db/schema.ts'
import type { AuditAction } from '../domain/audit.ts'

export interface AuditEvent {
  occurredAt: Date
  userId: string | null
  /** The API client that acted, when the actor is one (issue 22). */
  apiClientId?: string | null
  actingRole: string | null
  authorityId: string | null
  action: AuditAction
  outcome: AuditOutcome
  childId?: string | null
  subjectUserId?: string | null
  method?: string | null
  path?: string | null
  ip?: string | null
  userAgent?: string | null
  requestId?: string | null
  /** Ids and facts only: never a password, token or free text someone typed. */
  details?: Record<string, unknown>
}

/** Appends to the audit trail. Callers let a failure propagate: what cannot be audited does not happen. */
export async function recordAuditEvent(db: Queryable, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      occurred_at: event.occurredAt,
      user_id: event.userId,
      api_client_id: event.apiClientId ?? null,
      acting_role: event.actingRole,
      authority_id: event.authorityId,
      action: event.action,
      outcome: event.outcome,
      child_id: event.childId ?? null,
      subject_user_id: event.subjectUserId ?? null,
      method: event.method ?? null,
      path: event.path ?? null,
      ip: event.ip ?? null,
      user_agent: event.userAgent?.slice(0, 500) ?? null,
      request_id: event.requestId ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute()
}
