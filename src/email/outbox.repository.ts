import { sql } from 'kysely'
import type { Database, Queryable } from '../db/connection.ts'
import type { OutboxAttachment, OutboxEmail } from '../db/schema.ts'

export interface EmailMessage {
  to: string
  subject: string
  text: string
  html?: string
  attachments?: OutboxAttachment[]
}

/**
 * Puts an email in the outbox. Call it with the same transaction as the change that causes the
 * email: if the change rolls back, so does the email, and once committed it cannot be lost.
 */
export async function enqueueEmail(
  db: Queryable,
  message: EmailMessage,
  at: Date,
  /** The child the email is about, if any: erasure deletes it with them (ADR 13). */
  about?: { childId: string },
): Promise<string> {
  const row = await db
    .insertInto('outbox_email')
    .values({
      to_address: message.to,
      subject: message.subject,
      text_body: message.text,
      html_body: message.html ?? null,
      attachments: JSON.stringify(message.attachments ?? []),
      next_attempt_at: at,
      child_id: about?.childId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * Claims up to `limit` due emails for one sender. The claim pushes `next_attempt_at` past the
 * lease, and SKIP LOCKED lets several app processes claim in parallel without taking the same row.
 */
export async function claimDueEmails(
  db: Database,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<OutboxEmail[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs)
  return db
    .updateTable('outbox_email')
    .set({ next_attempt_at: leaseUntil, attempts: sql`attempts + 1` })
    .where(
      'id',
      'in',
      db
        .selectFrom('outbox_email')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute()
}

export async function markSent(db: Database, id: string, at: Date): Promise<void> {
  await db
    .updateTable('outbox_email')
    .set({ status: 'sent', sent_at: at, last_error: null })
    .where('id', '=', id)
    .execute()
}

export async function markFailed(
  db: Database,
  id: string,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  await db
    .updateTable('outbox_email')
    .set(
      retryAt
        ? { last_error: error.slice(0, 2000), next_attempt_at: retryAt }
        : { last_error: error.slice(0, 2000), status: 'failed' },
    )
    .where('id', '=', id)
    .execute()
}

/** The newest emails, or only those to one address (whatever its case) when `to` is given. */
export async function listRecentEmails(db: Database, limit: number, to?: string) {
  let query = db
    .selectFrom('outbox_email')
    .select(['id', 'to_address', 'subject', 'status', 'created_at', 'sent_at', 'attempts'])
  if (to !== undefined)
    query = query.where((eb) => eb(eb.fn('lower', ['to_address']), '=', to.toLowerCase()))
  return query.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute()
}

export async function findEmail(db: Database, id: string): Promise<OutboxEmail | undefined> {
  return db.selectFrom('outbox_email').selectAll().where('id', '=', id).executeTakeFirst()
}
