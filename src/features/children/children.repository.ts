import type { Database } from '../../db/connection.ts'

export interface ChildListRow {
  id: string
  firstName: string
  lastName: string
  dateOfBirth: string
  caseReference: string
  schoolName: string | null
  authorityName: string
}

export interface Page<T> {
  rows: T[]
  total: number
}

/** One page of the children of the given authorities, by surname. */
export async function listChildrenOfAuthorities(
  db: Database,
  authorityIds: readonly string[],
  page: { offset: number; limit: number },
): Promise<Page<ChildListRow>> {
  if (authorityIds.length === 0) return { rows: [], total: 0 }
  const base = db.selectFrom('child as c').where('c.authority_id', 'in', authorityIds)
  const [rows, count] = await Promise.all([
    base
      .innerJoin('authority as a', 'a.id', 'c.authority_id')
      .leftJoin('school as s', 's.id', 'c.school_id')
      .select([
        'c.id',
        'c.first_name as firstName',
        'c.last_name as lastName',
        'c.date_of_birth as dateOfBirth',
        'c.case_reference as caseReference',
        's.name as schoolName',
        'a.name as authorityName',
      ])
      .orderBy('c.last_name')
      .orderBy('c.first_name')
      .orderBy('c.id')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.total) }
}
