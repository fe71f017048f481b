import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { FinancialYear } from '../../domain/funding.ts'
import type { Pence } from '../../domain/money.ts'
import { awaitingDecisionQuery } from './funding.repository.ts'

/*
 * The authority's Pupil Premium Plus figures for a financial year, summed from the lines in SQL
 * (integers, never kept by hand). A request counts in the year of its current decision's date;
 * what was paid for it counts there too.
 */

export interface SchoolFigures {
  schoolId: string | null
  schoolName: string | null
  urn: string | null
  children: number
  requests: number
  approvedPence: Pence
  paidPence: Pence
  inRunsPence: Pence
}

/** Per school, for a year: approved (committed), paid, and what runs have taken. */
export async function schoolFigures(
  db: Queryable,
  authorityId: string,
  year: FinancialYear,
): Promise<SchoolFigures[]> {
  const rows = await sql<{
    school_id: string | null
    school_name: string | null
    urn: string | null
    children: number
    requests: number
    approved: number
    paid: number
    in_runs: number
  }>`
    with lines as (
      select l.request_id,
             sum(l.amount_pence) filter (where pr.status = 'paid') as paid,
             sum(l.amount_pence) filter (where l.kind = 'payment' and not l.discarded) as payments
      from payment_line l left join payment_run pr on pr.id = l.run_id
      where l.authority_id = ${authorityId}
      group by l.request_id
    )
    select r.school_id, s.name as school_name, s.urn,
           count(distinct r.child_id)::int as children,
           count(*)::int as requests,
           coalesce(sum(d.amount_pence), 0)::bigint as approved,
           coalesce(sum(lines.paid), 0)::bigint as paid,
           coalesce(sum(lines.payments), 0)::bigint as in_runs
    from funding_request r
    join funding_decision d on d.request_id = r.id and d.is_current
    left join school s on s.id = r.school_id
    left join lines on lines.request_id = r.id
    where r.authority_id = ${authorityId} and d.financial_year = ${year}
    group by r.school_id, s.name, s.urn
    order by s.name nulls last`.execute(db)
  return rows.rows.map((r) => ({
    schoolId: r.school_id,
    schoolName: r.school_name,
    urn: r.urn,
    children: r.children,
    requests: r.requests,
    approvedPence: Number(r.approved),
    paidPence: Number(r.paid),
    inRunsPence: Number(r.in_runs),
  }))
}

/** Children in care in the authority now: what the allocation per child is multiplied by. */
export async function childrenInCare(db: Queryable, authorityId: string): Promise<number> {
  const row = await db
    .selectFrom('child')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('authority_id', '=', authorityId)
    .where('status', '=', 'in_care')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function awaitingDecisionCount(
  db: Queryable,
  authorityId: string,
  includeBeforeSubmission: boolean,
): Promise<number> {
  const row = await awaitingDecisionQuery(db, authorityId, includeBeforeSubmission)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
