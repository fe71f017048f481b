import type { Queryable } from '../db/connection.ts'
import type { CalendarDate } from '../domain/calendar-date.ts'
import {
  isRating,
  overdueKinds,
  pepStage,
  type OverdueKind,
  type PepStage,
  type Rating,
} from '../domain/oversight.ts'
import type { Term } from '../domain/terms.ts'

/*
 * The PEP columns of the lists people already use (issue 17): the children list and My work show
 * this term's PEP of each child (the one PEP a term, not an extra review after a change of school),
 * the child's PEPs tab each of their PEPs: its stage in the Virtual School's words
 * (domain/oversight.ts, as the dashboard counts it), its target date, the school's part's due
 * date, the overall rating once signed off, and how it is overdue today. One query for the page's
 * children or PEPs, not one per row.
 */

export interface CurrentPep {
  stage: PepStage
  targetOn: CalendarDate | null
  /** The school's part's due date while it is with the school. */
  schoolDueOn: CalendarDate | null
  /** Section D's overall rating, once signed off. */
  rating: Rating | null
  /** Past its target date, or the school's part past its due date (the term's window is the dashboard's). */
  overdue: OverdueKind[]
}

const STEPS = ['submitted-to-vs', 'returned-for-improvement', 'returned-by-bso']

function statesQuery(db: Queryable) {
  return db
    .selectFrom('pep as p')
    .leftJoin('pep_delegation as d', (join) =>
      join
        .onRef('d.pep_id', '=', 'p.id')
        .on('d.status', '=', 'delegated')
        .on('d.part_of', 'is', null),
    )
    .select((eb) => [
      'p.id',
      'p.child_id as childId',
      'p.status',
      'p.target_on as targetOn',
      'd.due_on as schoolDueOn',
      // Section D's overall rating as saved, kept on the PEP's row (migration t17dash01).
      'p.qa_overall as overall',
      eb
        .selectFrom('pep_event as e')
        .select('e.kind')
        .whereRef('e.pep_id', '=', 'p.id')
        .where('e.kind', 'in', STEPS)
        .orderBy('e.at', 'desc')
        .limit(1)
        .as('lastStep'),
    ])
}

type StateRow = Awaited<ReturnType<ReturnType<typeof statesQuery>['execute']>>[number]

function stateOf(r: StateRow, today: CalendarDate): CurrentPep {
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
  return {
    stage: pepStage(pep),
    targetOn: r.targetOn,
    schoolDueOn: r.status === 'signed_off' ? null : r.schoolDueOn,
    rating: r.status === 'signed_off' && isRating(r.overall) ? r.overall : null,
    // The window is not this list's to judge (it is per authority): only the dates on the PEP.
    overdue: overdueKinds({ pep }, { today, windowDeadline: today }),
  }
}

/** This term's PEP of each of these children, by child. */
export async function currentPeps(
  db: Queryable,
  childIds: readonly string[],
  term: Term,
  today: CalendarDate,
): Promise<Map<string, CurrentPep>> {
  if (childIds.length === 0) return new Map()
  const rows = await statesQuery(db)
    .where('p.child_id', 'in', childIds)
    .where('p.academic_year', '=', term.academicYear)
    .where('p.term', '=', term.name)
    .where('p.change_of_school', '=', false)
    .execute()
  return new Map(rows.map((r) => [r.childId, stateOf(r, today)]))
}

/** The state of each of these PEPs (a child's PEPs tab), by PEP. */
export async function pepStates(
  db: Queryable,
  pepIds: readonly string[],
  today: CalendarDate,
): Promise<Map<string, CurrentPep>> {
  if (pepIds.length === 0) return new Map()
  const rows = await statesQuery(db).where('p.id', 'in', pepIds).execute()
  return new Map(rows.map((r) => [r.id, stateOf(r, today)]))
}
