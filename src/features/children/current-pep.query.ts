import type { Queryable } from '../../db/connection.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import { overdueKinds, pepStage, type OverdueKind, type PepStage } from '../../domain/oversight.ts'
import type { Term } from '../../domain/terms.ts'

/*
 * The children list's PEP columns (issue 17): for the children on one page of the list, this
 * term's PEP (the one PEP a term, not an extra review after a change of school), its stage in the
 * Virtual School's words (domain/oversight.ts, as the dashboard counts it), its target date and
 * how it is overdue today. One query for the page's children, not one per child.
 */

export interface CurrentPep {
  stage: PepStage
  targetOn: CalendarDate | null
  /** Past its target date, or the school's part past its due date (the term's window is the dashboard's). */
  overdue: OverdueKind[]
}

const STEPS = ['submitted-to-vs', 'returned-for-improvement', 'returned-by-bso']

export async function currentPeps(
  db: Queryable,
  childIds: readonly string[],
  term: Term,
  today: CalendarDate,
): Promise<Map<string, CurrentPep>> {
  const found = new Map<string, CurrentPep>()
  if (childIds.length === 0) return found
  const rows = await db
    .selectFrom('pep as p')
    .leftJoin('pep_delegation as d', (join) =>
      join.onRef('d.pep_id', '=', 'p.id').on('d.status', '=', 'delegated'),
    )
    .select((eb) => [
      'p.id',
      'p.child_id as childId',
      'p.status',
      'p.target_on as targetOn',
      'd.due_on as schoolDueOn',
      eb
        .selectFrom('pep_event as e')
        .select('e.kind')
        .whereRef('e.pep_id', '=', 'p.id')
        .where('e.kind', 'in', STEPS)
        .orderBy('e.at', 'desc')
        .limit(1)
        .as('lastStep'),
    ])
    .where('p.child_id', 'in', childIds)
    .where('p.academic_year', '=', term.academicYear)
    .where('p.term', '=', term.name)
    .where('p.change_of_school', '=', false)
    .execute()
  for (const r of rows) {
    const pep = {
      id: r.id,
      status: r.status,
      targetOn: r.targetOn,
      meetingOn: null,
      signedOffOn: null,
      schoolDueOn: r.schoolDueOn,
      returned:
        r.status === 'in_progress' &&
        (r.lastStep === 'returned-for-improvement' || r.lastStep === 'returned-by-bso'),
      overallRating: null,
      participated: null,
    }
    found.set(r.childId, {
      stage: pepStage(pep),
      targetOn: r.targetOn,
      // The window is not this list's to judge (it is per authority): only the dates on the PEP.
      overdue: overdueKinds({ pep }, { today, windowDeadline: today }),
    })
  }
  return found
}
