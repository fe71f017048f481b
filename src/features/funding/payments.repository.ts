import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { PaymentRunStatus } from '../../db/schema.ts'
import type { Pence } from '../../domain/money.ts'

/*
 * Payment runs and their lines. A run takes, in one statement, every approved amount decided in
 * its period that no run has taken: one payment line per decision (a unique index), so two runs
 * made at once cannot both take it, and the second takes only what is left. Corrections waiting
 * for a run join the next one. A paid run and its lines are never changed (a trigger refuses it).
 */

export async function insertRun(
  db: Queryable,
  run: { authorityId: string; from: string; to: string; by: string; at: Date },
): Promise<{ id: string; lines: number }> {
  const { id } = await db
    .insertInto('payment_run')
    .values({
      authority_id: run.authorityId,
      period_from: run.from,
      period_to: run.to,
      created_by: run.by,
      created_at: run.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const payments = await sql`
    with taken as (
      select request_id, sum(amount_pence) as total from payment_line
      where authority_id = ${run.authorityId} and kind = 'payment' and not discarded
      group by request_id
    )
    insert into payment_line
      (run_id, authority_id, request_id, decision_id, school_id, kind, amount_pence, created_by, created_at)
    select ${id}, r.authority_id, r.id, d.id, r.school_id, 'payment',
           d.amount_pence - coalesce(taken.total, 0), ${run.by}, ${run.at}
    from funding_request r
    join funding_decision d on d.request_id = r.id and d.is_current
    left join taken on taken.request_id = r.id
    where r.authority_id = ${run.authorityId}
      and d.outcome <> 'declined'
      and d.decided_on between ${run.from} and ${run.to}
      and d.amount_pence > coalesce(taken.total, 0)
    on conflict (decision_id) where kind = 'payment' and not discarded do nothing`.execute(db)
  const corrections = await db
    .updateTable('payment_line')
    .set({ run_id: id })
    .where('authority_id', '=', run.authorityId)
    .where('kind', '=', 'correction')
    .where('run_id', 'is', null)
    .executeTakeFirst()
  return {
    id,
    lines: Number(payments.numAffectedRows ?? 0n) + Number(corrections.numUpdatedRows),
  }
}

export interface RunRow {
  id: string
  periodFrom: string
  periodTo: string
  status: PaymentRunStatus
  createdAt: Date
  createdByName: string
  paidOn: string | null
  paidReference: string | null
  discardedAt: Date | null
  discardedByName: string | null
  discardReason: string | null
  lines: number
  totalPence: Pence
}

function runQuery(db: Queryable) {
  return db
    .selectFrom('payment_run as pr')
    .innerJoin('app_user as u', 'u.id', 'pr.created_by')
    .leftJoin('app_user as discarder', 'discarder.id', 'pr.discarded_by')
    .select([
      'pr.id',
      'pr.period_from as periodFrom',
      'pr.period_to as periodTo',
      'pr.status',
      'pr.created_at as createdAt',
      'u.display_name as createdByName',
      'pr.paid_on as paidOn',
      'pr.paid_reference as paidReference',
      'pr.discarded_at as discardedAt',
      'discarder.display_name as discardedByName',
      'pr.discard_reason as discardReason',
      sql<number>`(select count(*)::int from payment_line l where l.run_id = pr.id)`.as('lines'),
      sql<number>`(select coalesce(sum(l.amount_pence), 0)::bigint from payment_line l where l.run_id = pr.id)`.as(
        'totalPence',
      ),
    ])
}

export async function listRuns(db: Queryable, authorityId: string): Promise<RunRow[]> {
  const rows = await runQuery(db)
    .where('pr.authority_id', '=', authorityId)
    .orderBy('pr.created_at', 'desc')
    .limit(200)
    .execute()
  return rows.map((r) => ({ ...r, totalPence: Number(r.totalPence) }))
}

export async function findRun(
  db: Queryable,
  authorityId: string,
  runId: string,
): Promise<RunRow | undefined> {
  const row = await runQuery(db)
    .where('pr.authority_id', '=', authorityId)
    .where('pr.id', '=', runId)
    .executeTakeFirst()
  return row && { ...row, totalPence: Number(row.totalPence) }
}

export interface LineRow {
  schoolId: string | null
  schoolName: string | null
  urn: string | null
  dfeNumber: string | null
  caseReference: string
  targetText: string
  category: string
  purpose: string
  kind: 'payment' | 'correction'
  reason: string | null
  amountPence: Pence
}

/** A run's lines, by school, case reference and when each was requested: never the child's name. */
export function runLinesQuery(db: Queryable, runId: string) {
  return db
    .selectFrom('payment_line as l')
    .innerJoin('funding_request as r', 'r.id', 'l.request_id')
    .innerJoin('child', 'child.id', 'r.child_id')
    .leftJoin('school as s', 's.id', 'l.school_id')
    .select([
      'l.school_id as schoolId',
      's.name as schoolName',
      's.urn',
      's.dfe_number as dfeNumber',
      'child.case_reference as caseReference',
      'r.target_text as targetText',
      'r.category',
      'r.purpose',
      'l.kind',
      'l.reason',
      'l.amount_pence as amountPence',
    ])
    .where('l.run_id', '=', runId)
    .orderBy('s.name')
    .orderBy('l.school_id')
    .orderBy('child.case_reference')
    .orderBy('r.requested_at')
    .orderBy('l.kind')
    .orderBy('l.id')
}

export async function markRunPaid(
  db: Queryable,
  runId: string,
  paid: { on: string; reference: string; by: string; at: Date },
): Promise<boolean> {
  const row = await db
    .updateTable('payment_run')
    .set({
      status: 'paid',
      paid_on: paid.on,
      paid_reference: paid.reference,
      paid_by: paid.by,
      paid_at: paid.at,
    })
    .where('id', '=', runId)
    .where('status', '=', 'open')
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export async function insertCorrection(
  db: Queryable,
  c: {
    authorityId: string
    requestId: string
    schoolId: string | null
    amountPence: Pence
    reason: string
    by: string
    at: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('payment_line')
    .values({
      run_id: null,
      authority_id: c.authorityId,
      request_id: c.requestId,
      decision_id: null,
      school_id: c.schoolId,
      kind: 'correction',
      amount_pence: c.amountPence,
      reason: c.reason,
      created_by: c.by,
      created_at: c.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * Discards a run not yet paid, keeping it: its lines stay with it, marked discarded (so each
 * amount can join another run), its corrections wait for the next run again as new waiting lines
 * (the same request, amount, reason, maker and moment), and the run says who discarded it, when
 * and why if they said. Only an open run in this authority: answers what it held, or nothing.
 * The trigger then refuses any change to the run or its lines.
 */
export async function discardOpenRun(
  db: Queryable,
  authorityId: string,
  runId: string,
  discard: { by: string | null; at: Date; reason: string | null },
): Promise<
  { lines: number; corrections: number; totalPence: number; from: string; to: string } | undefined
> {
  const run = await db
    .selectFrom('payment_run')
    .select(['id', 'status', 'period_from as from', 'period_to as to'])
    .where('id', '=', runId)
    .where('authority_id', '=', authorityId)
    .forUpdate()
    .executeTakeFirst()
  if (!run || run.status !== 'open') return undefined
  const held = await db
    .selectFrom('payment_line')
    .select([
      sql<number>`count(*)::int`.as('lines'),
      sql<number>`(count(*) filter (where kind = 'correction'))::int`.as('corrections'),
      sql<number>`coalesce(sum(amount_pence), 0)::bigint`.as('total'),
    ])
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow()
  await sql`
    insert into payment_line
      (run_id, authority_id, request_id, decision_id, school_id, kind, amount_pence, reason,
       created_by, created_at)
    select null, authority_id, request_id, null, school_id, 'correction', amount_pence, reason,
           created_by, created_at
    from payment_line where run_id = ${runId} and kind = 'correction'`.execute(db)
  await db
    .updateTable('payment_line')
    .set({ discarded: true })
    .where('run_id', '=', runId)
    .execute()
  await db
    .updateTable('payment_run')
    .set({
      status: 'discarded',
      discarded_by: discard.by,
      discarded_at: discard.at,
      discard_reason: discard.reason,
    })
    .where('id', '=', runId)
    .execute()
  return {
    lines: held.lines,
    corrections: held.corrections,
    totalPence: Number(held.total),
    from: run.from,
    to: run.to,
  }
}

/** A run's lines by school, for its page: each school's number of lines and total. */
export async function runSchools(db: Queryable, runId: string): Promise<RunSchoolRow[]> {
  const { rows } = await sql<{
    name: string | null
    urn: string | null
    dfe_number: string | null
    lines: number
    total: number
  }>`
      select s.name, s.urn, s.dfe_number, count(*)::int as lines, sum(l.amount_pence)::bigint as total
      from payment_line l left join school s on s.id = l.school_id
      where l.run_id = ${runId}
      group by s.id, s.name, s.urn, s.dfe_number
      order by s.name nulls last`.execute(db)
  return rows.map((s) => ({
    name: s.name,
    urn: s.urn,
    dfeNumber: s.dfe_number,
    lines: s.lines,
    totalPence: Number(s.total),
  }))
}

export interface RunSchoolRow {
  name: string | null
  urn: string | null
  dfeNumber: string | null
  lines: number
  totalPence: number
}
