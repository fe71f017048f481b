import type { Queryable } from '../../db/connection.ts'

/* The API's reads: a child of the client's authority by case reference, in the API's shape. */

/** The child with this case reference in this authority (never another authority's). */
export async function findChildByCaseReference(
  db: Queryable,
  authorityId: string,
  caseReference: string,
) {
  return db
    .selectFrom('child as c')
    .leftJoin('school as s', 's.id', 'c.school_id')
    .leftJoin('app_user as o', 'o.id', 'c.record_owner_id')
    .select([
      'c.id',
      'c.authority_id as authorityId',
      'c.case_reference as caseReference',
      'c.first_name as firstName',
      'c.last_name as lastName',
      'c.preferred_name as preferredName',
      'c.date_of_birth as dateOfBirth',
      'c.gender',
      'c.upn',
      'c.uln',
      'c.entered_care_on as enteredCareOn',
      'c.emergency_placement as emergencyPlacement',
      'c.legal_status as legalStatus',
      'c.placement',
      'c.school_id as schoolId',
      's.urn as schoolUrn',
      's.name as schoolName',
      'c.sen_status as senStatus',
      'c.year_group_override as yearGroupOverride',
      'o.email as socialWorkerEmail',
      'o.display_name as socialWorkerName',
      'c.status',
      'c.ceased_on as ceasedOn',
      'c.version',
      'c.updated_at as updatedAt',
    ])
    .where('c.authority_id', '=', authorityId)
    .where('c.case_reference', '=', caseReference)
    .executeTakeFirst()
}

export type ApiChildRow = NonNullable<Awaited<ReturnType<typeof findChildByCaseReference>>>
