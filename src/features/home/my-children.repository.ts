import { placeIsLive } from '../../shared/child-access.ts'
import type { Database } from '../../db/connection.ts'

export interface MyChildRow {
  id: string
  firstName: string
  lastName: string
  dateOfBirth: string
  yearGroupOverride: string | null
  status: 'in_care' | 'ceased'
  schoolName: string | null
  authorityName: string
  capacity: string
}

/** The children on this user's access lists while their places hold (ADR 8), grouped later by authority. */
export async function listMyChildren(db: Database, userId: string): Promise<MyChildRow[]> {
  return db
    .selectFrom('child_access as ca')
    .innerJoin('child as c', 'c.id', 'ca.child_id')
    .innerJoin('authority as a', 'a.id', 'c.authority_id')
    .leftJoin('school as s', 's.id', 'c.school_id')
    .select([
      'c.id',
      'c.first_name as firstName',
      'c.last_name as lastName',
      'c.date_of_birth as dateOfBirth',
      'c.year_group_override as yearGroupOverride',
      'c.status',
      's.name as schoolName',
      'a.name as authorityName',
      'ca.capacity',
    ])
    .where('ca.user_id', '=', userId)
    .where(placeIsLive('ca'))
    .orderBy('a.name')
    .orderBy('c.last_name')
    .orderBy('c.first_name')
    .orderBy('c.id')
    .limit(500)
    .execute()
}
