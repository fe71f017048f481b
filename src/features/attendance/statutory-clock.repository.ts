import type { Queryable } from '../../db/connection.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { lastReviewOn } from '../../shared/cohort-filter.ts'

/* What the statutory clocks on the child's record and the social worker's tray read (issue 19). */

/** Whether the child is in care, and since when. */
export async function findChildInCare(db: Queryable, childId: string) {
  return db
    .selectFrom('child')
    .select(['entered_care_on as enteredCareOn', 'status'])
    .where('id', '=', childId)
    .executeTakeFirst()
}

/** As findChildInCare, with the last review meeting held by `today`. */
export async function findReviewFacts(db: Queryable, childId: string, today: CalendarDate) {
  const row = await db
    .selectFrom('child as c')
    .select([
      'c.entered_care_on as enteredCareOn',
      'c.status',
      lastReviewOn('c.id', today).as('lastMeetingOn'),
    ])
    .where('c.id', '=', childId)
    .executeTakeFirst()
  return row && { ...row, lastMeetingOn: (row.lastMeetingOn as CalendarDate | null) ?? null }
}

/** The closure days of the authorities given. */
export async function listClosureDaysOf(db: Queryable, authorityIds: readonly string[]) {
  return db
    .selectFrom('authority_closure_day')
    .select(['authority_id', 'on_date'])
    .where('authority_id', 'in', authorityIds)
    .execute()
}

/** Each child's first PEP (by the day it started), of the children given that have one. */
export async function listFirstPeps(db: Queryable, childIds: readonly string[]) {
  return db
    .selectFrom('pep')
    .distinctOn('child_id')
    .select(['child_id', 'started_on', 'meeting_on', 'meeting_confirmed_at'])
    .where('child_id', 'in', childIds)
    .orderBy('child_id')
    .orderBy('started_on')
    .execute()
}
