import type { Queryable } from '../../db/connection.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'

/*
 * An authority's closure days: the days its working-day timescales skip besides weekends and
 * England and Wales bank holidays.
 */

export interface ClosureDay {
  onDate: CalendarDate
  description: string
  createdBy: string
  createdAt: Date
}

/** The authority's closure days in date order, optionally only those between two dates. */
export async function listClosureDays(
  db: Queryable,
  authorityId: string,
  between?: { from: CalendarDate; to: CalendarDate },
): Promise<ClosureDay[]> {
  let query = db
    .selectFrom('authority_closure_day')
    .select([
      'on_date as onDate',
      'description',
      'created_by as createdBy',
      'created_at as createdAt',
    ])
    .where('authority_id', '=', authorityId)
  if (between) query = query.where('on_date', '>=', between.from).where('on_date', '<=', between.to)
  return query.orderBy('on_date').execute()
}

/** Adds a closure day: false, with nothing changed, when the authority already has that date. */
export async function addClosureDay(
  db: Queryable,
  authorityId: string,
  day: { onDate: CalendarDate; description: string; createdBy: string; at: Date },
): Promise<boolean> {
  const inserted = await db
    .insertInto('authority_closure_day')
    .values({
      authority_id: authorityId,
      on_date: day.onDate,
      description: day.description,
      created_by: day.createdBy,
      created_at: day.at,
    })
    .onConflict((oc) => oc.columns(['authority_id', 'on_date']).doNothing())
    .returning('on_date')
    .executeTakeFirst()
  return inserted !== undefined
}

/** Removes a closure day: the removed day, or undefined when there was none on that date. */
export async function removeClosureDay(
  db: Queryable,
  authorityId: string,
  onDate: CalendarDate,
): Promise<{ onDate: CalendarDate; description: string } | undefined> {
  return db
    .deleteFrom('authority_closure_day')
    .where('authority_id', '=', authorityId)
    .where('on_date', '=', onDate)
    .returning(['on_date as onDate', 'description'])
    .executeTakeFirst()
}
