import type { Database } from '../../db/connection.ts'
import { placeIsLive } from '../../shared/child-access.ts'

export interface PlacedChildRow {
  id: string
  firstName: string
  lastName: string
  schoolName: string | null
}

/** The children placed with this carer: their places as carer that still hold (ADR 8). */
export async function listPlacedChildren(db: Database, userId: string): Promise<PlacedChildRow[]> {
  return db
    .selectFrom('child_access as ca')
    .innerJoin('child as c', 'c.id', 'ca.child_id')
    .leftJoin('school as s', 's.id', 'c.school_id')
    .select([
      'c.id',
      'c.first_name as firstName',
      'c.last_name as lastName',
      's.name as schoolName',
    ])
    .where('ca.user_id', '=', userId)
    .where('ca.capacity', '=', 'carer')
    .where(placeIsLive('ca'))
    .orderBy('c.last_name')
    .orderBy('c.first_name')
    .orderBy('c.id')
    .limit(100)
    .execute()
}
