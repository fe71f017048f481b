import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'

export interface NoticeCount {
  /** The day in England the job did it. */
  day: CalendarDate
  kind: string
  /** How many; for a bulk start, how many PEPs it started. */
  count: number
}

/**
 * What the scheduled jobs did for one authority since `since`, counted by day (in England) and
 * kind. One query on the index on (authority_id, created_at desc); at most a row per day and
 * kind, so bounded by the period asked for. A bulk start is one row per term that records how
 * many PEPs it started, so it counts those.
 */
export async function countNotices(
  db: Queryable,
  authorityId: string,
  since: Date,
): Promise<NoticeCount[]> {
  const day = sql<string>`to_char(created_at at time zone 'Europe/London', 'YYYY-MM-DD')`
  const rows = await db
    .selectFrom('scheduled_notice')
    .select([
      day.as('day'),
      'kind',
      sql<number>`sum(case when kind = 'bulk-start' then coalesce((details->>'started')::int, 0) else 1 end)::int`.as(
        'count',
      ),
    ])
    .where('authority_id', '=', authorityId)
    .where('created_at', '>=', since)
    .groupBy([day, 'kind'])
    .execute()
  return rows.map((row) => ({ day: row.day, kind: row.kind, count: Number(row.count) }))
}
