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

export interface ChildRecord {
  id: string
  firstName: string
  lastName: string
  dateOfBirth: string
  gender: string
  upn: string | null
  caseReference: string
  enteredCareOn: string
  status: 'in_care' | 'ceased'
  schoolName: string | null
  schoolUrn: string | null
  schoolType: string | null
  authorityName: string
  preferredName: string | null
  uln: string | null
  emergencyPlacement: boolean
  legalStatus: string | null
  placement: string | null
  senStatus: 'none' | 'sen_support' | 'ehc_plan'
  yearGroupOverride: string | null
  ceasedOn: string | null
  ceasedReason: string | null
  recordOwnerName: string | null
}

/** A child's core data. Only call it once the user's right to the child is proven (child routes). */
export async function findChildRecord(
  db: Database,
  childId: string,
): Promise<ChildRecord | undefined> {
  return db
    .selectFrom('child as c')
    .innerJoin('authority as a', 'a.id', 'c.authority_id')
    .leftJoin('school as s', 's.id', 'c.school_id')
    .leftJoin('app_user as o', 'o.id', 'c.record_owner_id')
    .select([
      'c.id',
      'c.first_name as firstName',
      'c.last_name as lastName',
      'c.date_of_birth as dateOfBirth',
      'c.gender',
      'c.upn',
      'c.case_reference as caseReference',
      'c.entered_care_on as enteredCareOn',
      'c.status',
      's.name as schoolName',
      's.urn as schoolUrn',
      's.type as schoolType',
      'a.name as authorityName',
      'c.preferred_name as preferredName',
      'c.uln',
      'c.emergency_placement as emergencyPlacement',
      'c.legal_status as legalStatus',
      'c.placement',
      'c.sen_status as senStatus',
      'c.year_group_override as yearGroupOverride',
      'c.ceased_on as ceasedOn',
      'c.ceased_reason as ceasedReason',
      'o.display_name as recordOwnerName',
    ])
    .where('c.id', '=', childId)
    .executeTakeFirst()
}
