import type { Queryable } from '../../db/connection.ts'

/* What the statutory clocks on the child's record and the social worker's tray read (issue 19). */

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
