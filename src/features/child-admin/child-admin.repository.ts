import type { Queryable } from '../../db/connection.ts'
import type { ChildFields } from '../../domain/child-validation.ts'

export interface SchoolChoice {
  id: string
  name: string
  urn: string | null
}

/** The authority's open schools, for the school select and for URNs in an import. */
export async function listOpenSchools(db: Queryable, authorityId: string): Promise<SchoolChoice[]> {
  return db
    .selectFrom('school')
    .select(['id', 'name', 'urn'])
    .where('authority_id', '=', authorityId)
    .where('open', '=', true)
    .orderBy('name')
    .execute()
}

export interface OwnerChoice {
  id: string
  displayName: string
  email: string
}

/** The authority's social workers who can sign in: who may own a child's record. */
export async function listSocialWorkers(
  db: Queryable,
  authorityId: string,
): Promise<OwnerChoice[]> {
  return db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.display_name as displayName', 'u.email'])
    .where('m.authority_id', '=', authorityId)
    .where('m.role', '=', 'social_worker')
    .where('u.status', '!=', 'deactivated')
    .orderBy('u.display_name')
    .execute()
}

export async function caseReferencesOf(db: Queryable, authorityId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('child')
    .select('case_reference')
    .where('authority_id', '=', authorityId)
    .execute()
  return new Set(rows.map((r) => r.case_reference))
}

/** A child's core data as stored, for the edit form and the conflict page. */
export async function findChildCore(db: Queryable, childId: string, forUpdate = false) {
  let query = db
    .selectFrom('child as c')
    .leftJoin('school as s', 's.id', 'c.school_id')
    .leftJoin('app_user as o', 'o.id', 'c.record_owner_id')
    .select([
      'c.id',
      'c.authority_id as authorityId',
      'c.first_name as firstName',
      'c.last_name as lastName',
      'c.preferred_name as preferredName',
      'c.date_of_birth as dateOfBirth',
      'c.gender',
      'c.upn',
      'c.uln',
      'c.case_reference as caseReference',
      'c.entered_care_on as enteredCareOn',
      'c.emergency_placement as emergencyPlacement',
      'c.legal_status as legalStatus',
      'c.placement',
      'c.school_id as schoolId',
      's.name as schoolName',
      'c.sen_status as senStatus',
      'c.year_group_override as yearGroupOverride',
      'c.record_owner_id as recordOwnerId',
      'o.display_name as recordOwnerName',
      'c.status',
      'c.version',
    ])
    .where('c.id', '=', childId)
  if (forUpdate) query = query.forUpdate('c')
  return query.executeTakeFirst()
}
export type ChildCore = NonNullable<Awaited<ReturnType<typeof findChildCore>>>

/** The core-data columns an edit may change, from validated fields. */
export function editableColumns(
  fields: Omit<ChildFields, 'schoolId' | 'placement' | 'recordOwnerId'>,
) {
  return {
    first_name: fields.firstName,
    last_name: fields.lastName,
    preferred_name: fields.preferredName,
    date_of_birth: fields.dateOfBirth,
    gender: fields.gender,
    upn: fields.upn,
    uln: fields.uln,
    case_reference: fields.caseReference,
    entered_care_on: fields.enteredCareOn,
    emergency_placement: fields.emergencyPlacement,
    legal_status: fields.legalStatus,
    sen_status: fields.senStatus,
    year_group_override: fields.yearGroupOverride,
  }
}

/** The columns a new child row takes from validated fields. */
export function childRow(authorityId: string, fields: ChildFields, at: Date) {
  return {
    authority_id: authorityId,
    ...editableColumns(fields),
    placement: fields.placement,
    school_id: fields.schoolId,
    record_owner_id: fields.recordOwnerId,
    created_at: at,
    updated_at: at,
  }
}
