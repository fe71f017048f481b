import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { RetentionPolicy, RetentionSubject } from '../../domain/retention.ts'
import { rowsAbout, subjectIds, SUBJECT_TABLES, whereAbout } from './subject-access.repository.ts'

/** The authority's retention rule, or undefined: none set, records kept. */
export async function findPolicy(
  db: Queryable,
  authorityId: string,
): Promise<RetentionPolicy | undefined> {
  const row = await db
    .selectFrom('retention_policy')
    .select(['years_after_care', 'until_age'])
    .where('authority_id', '=', authorityId)
    .executeTakeFirst()
  return row && { yearsAfterCare: row.years_after_care, untilAge: row.until_age }
}

export async function savePolicy(
  db: Queryable,
  authorityId: string,
  policy: RetentionPolicy,
  by: { userId: string; at: Date },
) {
  const values = {
    years_after_care: policy.yearsAfterCare,
    until_age: policy.untilAge,
    updated_at: by.at,
    updated_by: by.userId,
  }
  await db
    .insertInto('retention_policy')
    .values({ authority_id: authorityId, ...values })
    .onConflict((oc) => oc.column('authority_id').doUpdateSet(values))
    .execute()
}

/** Authorities with a rule, and the rule. */
export async function policies(db: Queryable) {
  return db
    .selectFrom('retention_policy')
    .select(['authority_id', 'years_after_care', 'until_age'])
    .orderBy('authority_id')
    .execute()
}

export interface ChildForRetention extends RetentionSubject {
  id: string
  authorityId: string
}

/** The authority's children who have left care: the only ones a rule can make due. */
export async function childrenWhoLeftCare(
  db: Queryable,
  authorityId: string,
): Promise<ChildForRetention[]> {
  const rows = await db
    .selectFrom('child')
    .select(['id', 'authority_id', 'status', 'date_of_birth', 'ceased_on'])
    .where('authority_id', '=', authorityId)
    .where('status', '=', 'ceased')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    authorityId: r.authority_id,
    status: r.status,
    dateOfBirth: r.date_of_birth,
    ceasedOn: r.ceased_on,
  }))
}

export async function findChildForRetention(
  db: Queryable,
  childId: string,
): Promise<ChildForRetention | undefined> {
  const row = await db
    .selectFrom('child')
    .select(['id', 'authority_id', 'status', 'date_of_birth', 'ceased_on'])
    .where('id', '=', childId)
    .executeTakeFirst()
  return (
    row && {
      id: row.id,
      authorityId: row.authority_id,
      status: row.status,
      dateOfBirth: row.date_of_birth,
      ceasedOn: row.ceased_on,
    }
  )
}

/** Lists a child as past its date (once; a later run keeps the first listing). */
export async function listForReview(
  db: Queryable,
  child: { id: string; authorityId: string; keepUntil: string },
  at: Date,
): Promise<boolean> {
  const result = await db
    .insertInto('retention_review')
    .values({
      child_id: child.id,
      authority_id: child.authorityId,
      keep_until: child.keepUntil,
      listed_at: at,
    })
    .onConflict((oc) => oc.column('child_id').doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

/** Takes off the review list the authority's children no longer due (the rule changed). */
export async function unlistExcept(db: Queryable, authorityId: string, due: readonly string[]) {
  let query = db.deleteFrom('retention_review').where('authority_id', '=', authorityId)
  if (due.length > 0) query = query.where('child_id', 'not in', due)
  const result = await query.executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function findReview(db: Queryable, childId: string) {
  return db
    .selectFrom('retention_review as r')
    .leftJoin('app_user as u', 'u.id', 'r.proposed_by')
    .select([
      'r.child_id as childId',
      'r.authority_id as authorityId',
      'r.keep_until as keepUntil',
      'r.listed_at as listedAt',
      'r.proposed_by as proposedBy',
      'r.proposed_at as proposedAt',
      'u.display_name as proposedByName',
    ])
    .where('r.child_id', '=', childId)
    .executeTakeFirst()
}

/** The authority's records past their date, oldest date first, with who proposed erasing them. */
export async function reviewList(db: Queryable, authorityId: string) {
  return db
    .selectFrom('retention_review as r')
    .innerJoin('child as c', 'c.id', 'r.child_id')
    .leftJoin('app_user as u', 'u.id', 'r.proposed_by')
    .select([
      'r.child_id as childId',
      'c.first_name as firstName',
      'c.last_name as lastName',
      'c.case_reference as caseReference',
      'c.ceased_on as ceasedOn',
      'r.keep_until as keepUntil',
      'r.proposed_by as proposedBy',
      'r.proposed_at as proposedAt',
      'u.display_name as proposedByName',
    ])
    .where('r.authority_id', '=', authorityId)
    .orderBy('r.keep_until')
    .orderBy('r.child_id')
    .execute()
}

export async function setProposal(
  db: Queryable,
  childId: string,
  proposal: { by: string; at: Date } | null,
) {
  await db
    .updateTable('retention_review')
    .set({ proposed_by: proposal?.by ?? null, proposed_at: proposal?.at ?? null })
    .where('child_id', '=', childId)
    .execute()
}

/**
 * Erases everything held about the child, in one transaction (`trx`): every table about them,
 * children before parents, the notices the jobs kept about them, then the child. Returns how
 * many rows went from each table (numbers only: the audit trail keeps that, never what).
 */
export async function eraseChild(
  trx: Queryable,
  childId: string,
  at: Date,
): Promise<Record<string, number>> {
  const ids = await subjectIds(trx, childId)
  const counts: Record<string, number> = {}
  for (const spec of SUBJECT_TABLES) {
    if (spec.table === 'retention_review') continue
    if (spec.table === 'payment_line' && ids.requestIds.length > 0) {
      // Money paid (or a discarded run's record) stays, without the child: ADR 13.
      const kept = await trx
        .updateTable('payment_line')
        .set({
          request_id: null,
          decision_id: null,
          erased_at: at,
          reason: sql`case when reason is null then null else 'Erased' end`,
        })
        .where('request_id', 'in', ids.requestIds)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('payment_run as r')
              .select('r.id')
              .whereRef('r.id', '=', 'payment_line.run_id')
              .where('r.status', 'in', ['paid', 'discarded']),
          ),
        )
        .executeTakeFirst()
      counts['payment_line (kept, unlinked)'] = Number(kept.numUpdatedRows)
    }
    const result = await sql`delete from ${sql.table(spec.table)} where ${whereAbout(
      spec.link,
      ids,
    )}`.execute(trx)
    counts[spec.table] = Number(result.numAffectedRows ?? 0)
  }
  const subjects = [childId, ...ids.pepIds]
  const notices = await trx
    .deleteFrom('scheduled_notice')
    .where('subject_id', 'in', subjects)
    .executeTakeFirst()
  counts['scheduled_notice'] = Number(notices.numDeletedRows)
  // Webhook events about the child carry only its ids, but the ids link the log to them.
  const deliveries = await trx
    .deleteFrom('api_webhook_delivery')
    .where(sql<boolean>`payload -> 'data' ->> 'childId' = ${childId}`)
    .executeTakeFirst()
  counts['api_webhook_delivery'] = Number(deliveries.numDeletedRows)
  await trx.deleteFrom('child').where('id', '=', childId).execute()
  counts['child'] = 1
  return counts
}

/** For tests and the export: whether anything about the child is left. */
export async function rowsLeftAbout(db: Queryable, childId: string): Promise<number> {
  const ids = await subjectIds(db, childId)
  let n = 0
  for (const spec of SUBJECT_TABLES) n += (await rowsAbout(db, spec, ids)).length
  const child = await db.selectFrom('child').select('id').where('id', '=', childId).execute()
  return n + child.length
}
