import { sql } from 'kysely'
import type { Queryable } from '../db/connection.ts'
import type { CalendarDate } from '../domain/calendar-date.ts'
import type { Term } from '../domain/terms.ts'
import type { ChildForPep } from '../features/peps/start.service.ts'

export type ChildWithoutPep = ChildForPep & { enteredCareOn: CalendarDate }

/**
 * An authority's children in care with no PEP for the term (an extra review after a change of
 * school is not the term's PEP), in id order; optionally only those without a given notice yet.
 */
export async function childrenWithoutPep(
  db: Queryable,
  authorityId: string,
  term: Term,
  options: { noNotice?: { kind: string; forDate: CalendarDate } } = {},
): Promise<ChildWithoutPep[]> {
  let query = db
    .selectFrom('child as c')
    .leftJoin('school as s', 's.id', 'c.school_id')
    .select([
      'c.id',
      'c.authority_id as authorityId',
      'c.date_of_birth as dateOfBirth',
      'c.year_group_override as yearGroupOverride',
      'c.school_id as schoolId',
      'c.entered_care_on as enteredCareOn',
      's.type as schoolType',
    ])
    .where('c.authority_id', '=', authorityId)
    .where('c.status', '=', 'in_care')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('pep as p')
            .select(sql`1`.as('one'))
            .whereRef('p.child_id', '=', 'c.id')
            .where('p.academic_year', '=', term.academicYear)
            .where('p.term', '=', term.name)
            .where('p.change_of_school', '=', false),
        ),
      ),
    )
  const notice = options.noNotice
  if (notice)
    query = query.where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('scheduled_notice as n')
            .select(sql`1`.as('one'))
            .whereRef('n.subject_id', '=', 'c.id')
            .where('n.kind', '=', notice.kind)
            .where('n.for_date', '=', notice.forDate),
        ),
      ),
    )
  const rows = await query.orderBy('c.id').execute()
  return rows.map(({ schoolType, ...child }) => ({
    ...child,
    atSpecialSchool: schoolType === 'special',
  }))
}
