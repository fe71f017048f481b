import type { Queryable } from '../../db/connection.ts'

export interface UserChildAccessRow {
  id: string
  childId: string
  firstName: string
  lastName: string
  caseReference: string
  capacity: string
  addedAt: Date
  addedByName: string | null
}

/** One page of the live places a user holds on children's access lists, in the given authorities, by child's name. */
export async function listUserChildAccess(
  db: Queryable,
  userId: string,
  authorityIds: readonly string[],
  page: { offset: number; limit: number },
): Promise<{ rows: UserChildAccessRow[]; total: number }> {
  if (authorityIds.length === 0) return { rows: [], total: 0 }
  const base = db
    .selectFrom('child_access as ca')
    .innerJoin('child as c', 'c.id', 'ca.child_id')
    .where('ca.user_id', '=', userId)
    .where('ca.removed_at', 'is', null)
    .where('c.authority_id', 'in', authorityIds)
  const [rows, count] = await Promise.all([
    base
      .leftJoin('app_user as by', 'by.id', 'ca.added_by')
      .select([
        'ca.id',
        'c.id as childId',
        'c.first_name as firstName',
        'c.last_name as lastName',
        'c.case_reference as caseReference',
        'ca.capacity',
        'ca.added_at as addedAt',
        'by.display_name as addedByName',
      ])
      .orderBy('c.last_name')
      .orderBy('c.first_name')
      .orderBy('ca.id')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.total) }
}

/** How many children each authority looks after (in care or not): what its Virtual School staff can see. */
export async function countChildrenByAuthority(
  db: Queryable,
  authorityIds: readonly string[],
): Promise<Map<string, number>> {
  if (authorityIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('child')
    .select(['authority_id', (eb) => eb.fn.countAll<number>().as('total')])
    .where('authority_id', 'in', authorityIds)
    .groupBy('authority_id')
    .execute()
  return new Map(rows.map((r) => [r.authority_id, Number(r.total)]))
}
