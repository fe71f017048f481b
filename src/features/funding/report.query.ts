import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { FinancialYear } from '../../domain/funding.ts'
import type { Pence } from '../../domain/money.ts'

/*
 * The spend and impact report (issue 18): for a financial year, the funded requests (approved or
 * approved in part, by their current decision's date) by category, by school and by year group,
 * with what was approved and paid and how the targets turned out at the next review.
 */

export type ReportDimension = 'category' | 'school' | 'year_group'

export interface ReportRow {
  dimension: ReportDimension
  name: string
  requests: number
  approvedPence: Pence
  paidPence: Pence
  achieved: number
  partly: number
  notAchieved: number
  continuing: number
  notRecorded: number
}

export async function spendAndImpact(
  db: Queryable,
  authorityId: string,
  year: FinancialYear,
): Promise<ReportRow[]> {
  const result = await sql<{
    dimension: ReportDimension
    name: string | null
    requests: number
    approved: number
    paid: number
    achieved: number
    partly: number
    not_achieved: number
    continuing: number
    not_recorded: number
  }>`
    with funded as (
      select r.id, r.category, coalesce(s.name, 'No school recorded') as school,
             pep.year_group, d.amount_pence as approved,
             coalesce((select sum(l.amount_pence) from payment_line l
                       join payment_run pr on pr.id = l.run_id
                       where l.request_id = r.id and pr.status = 'paid'), 0) as paid,
             i.outcome
      from funding_request r
      join funding_decision d on d.request_id = r.id and d.is_current
      join pep on pep.id = r.pep_id
      left join school s on s.id = r.school_id
      left join funding_impact i on i.request_id = r.id
      where r.authority_id = ${authorityId} and d.financial_year = ${year}
        and d.outcome in ('approved', 'part_approved')
    ),
    keyed as (
      select 'category' as dimension, category as name, * from funded
      union all select 'school', school, * from funded
      union all select 'year_group', year_group, * from funded
    )
    select dimension, name, count(*)::int as requests,
           sum(approved)::bigint as approved, sum(paid)::bigint as paid,
           count(*) filter (where outcome = 'achieved')::int as achieved,
           count(*) filter (where outcome = 'partly_achieved')::int as partly,
           count(*) filter (where outcome = 'not_achieved')::int as not_achieved,
           count(*) filter (where outcome = 'continuing')::int as continuing,
           count(*) filter (where outcome is null)::int as not_recorded
    from keyed
    group by dimension, name
    order by dimension, name`.execute(db)
  return result.rows.map((r) => ({
    dimension: r.dimension,
    name: r.name ?? 'Not recorded',
    requests: r.requests,
    approvedPence: Number(r.approved),
    paidPence: Number(r.paid),
    achieved: r.achieved,
    partly: r.partly,
    notAchieved: r.not_achieved,
    continuing: r.continuing,
    notRecorded: r.not_recorded,
  }))
}
