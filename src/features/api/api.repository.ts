import { sql } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import type { CircumstanceKind } from '../../domain/education-circumstance.ts'

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
      // The child's education circumstances (issue 17), the latest first, as the record lists them.
      sql<ApiCircumstanceRow[]>`coalesce((
        select json_agg(json_build_object(
          'id', e.id, 'kind', e.kind, 'startsOn', e.starts_on, 'endsOn', e.ends_on,
          'provider', e.provider, 'hoursPerWeek', e.hours_per_week, 'reason', e.reason)
          order by e.starts_on desc, e.recorded_at desc, e.id)
        from child_education_circumstance e where e.child_id = c.id), '[]'::json)`.as(
        'educationCircumstances',
      ),
    ])
    .where('c.authority_id', '=', authorityId)
    .where('c.case_reference', '=', caseReference)
    .executeTakeFirst()
}

export interface ApiCircumstanceRow {
  id: string
  kind: CircumstanceKind
  startsOn: string
  endsOn: string | null
  provider: string | null
  hoursPerWeek: number | string | null
  reason: string | null
}

export type ApiChildRow = NonNullable<Awaited<ReturnType<typeof findChildByCaseReference>>>
