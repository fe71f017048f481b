import type { Queryable } from '../../db/connection.ts'
import { executePrepared } from '../../db/prepared.ts'

/* The young person's views sent (issue 20): who sent them, when, and how. */

export interface ViewsSent {
  sentAt: Date
  sentBy: string
  sentByName: string | null
  onBehalf: boolean
  howGathered: string
}

export async function findViewsSent(db: Queryable, pepId: string): Promise<ViewsSent | undefined> {
  // Prepared (db/prepared.ts): a PEP's contents asks it on every view.
  const [row] = await executePrepared(
    db,
    db
      .selectFrom('pep_young_person_views as v')
      .leftJoin('app_user as u', 'u.id', 'v.sent_by')
      .select([
        'v.sent_at as sentAt',
        'v.sent_by as sentBy',
        'u.display_name as sentByName',
        'v.on_behalf as onBehalf',
        'v.how_gathered as howGathered',
      ])
      .where('v.pep_id', '=', pepId),
  )
  return row
}

/** The account linked to the child as the young person (ADR 10), if there is one. */
export async function youngPersonAccountOf(
  db: Queryable,
  childId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('child_access')
    .select('user_id as userId')
    .where('child_id', '=', childId)
    .where('capacity', '=', 'young_person')
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  return row?.userId
}
