import type { Queryable } from '../../db/connection.ts'
import type { StatutoryResult } from '../../domain/statutory-results.ts'

/* The queries and writes of `statutory_result` (issue 19). */

export interface StatutoryRow {
  id: string
  kind: 'phonics' | 'ks2' | 'gcse'
  academicYear: number
  subject: string
  retake: boolean
  mark: number | null
  threshold: number | null
  scaledScore: number | null
  outcome: string | null
  recordedBy: string | null
  recordedAt: Date
  supersededAt: Date | null
  supersededBy: string | null
}

/** Every result of the child, each with its earlier versions: by test, year, subject, newest first. */
export async function listStatutoryResults(
  db: Queryable,
  childId: string,
): Promise<StatutoryRow[]> {
  return db
    .selectFrom('statutory_result as r')
    .leftJoin('app_user as u', 'u.id', 'r.recorded_by')
    .select([
      'r.id',
      'r.kind',
      'r.academic_year as academicYear',
      'r.subject',
      'r.retake',
      'r.mark',
      'r.threshold',
      'r.scaled_score as scaledScore',
      'r.outcome',
      'u.display_name as recordedBy',
      'r.recorded_at as recordedAt',
      'r.superseded_at as supersededAt',
      'r.superseded_by as supersededBy',
    ])
    .where('r.child_id', '=', childId)
    .orderBy('r.academic_year', 'desc')
    .orderBy('r.kind')
    .orderBy('r.subject')
    .orderBy('r.retake')
    .orderBy('r.recorded_at', 'desc')
    .orderBy('r.id')
    .execute()
}

const subjectOf = (r: StatutoryResult) => (r.kind === 'phonics' ? 'phonics' : r.subject)
const retakeOf = (r: StatutoryResult) => r.kind === 'phonics' && r.retake

/**
 * Saves a result; the current one for the same test, subject, year (and phonics retake) is kept,
 * superseded by it. Returns the new row's id and the one it replaced.
 */
export async function recordStatutoryRow(
  db: Queryable,
  input: { childId: string; result: StatutoryResult; recordedBy: string; at: Date },
): Promise<{ id: string; replaced: string | null }> {
  const r = input.result
  const old = await db
    .selectFrom('statutory_result')
    .select('id')
    .where('child_id', '=', input.childId)
    .where('kind', '=', r.kind)
    .where((eb) => eb(eb.fn('lower', ['subject']), '=', subjectOf(r).toLowerCase()))
    .where('academic_year', '=', r.academicYear)
    .where('retake', '=', retakeOf(r))
    .where('superseded_at', 'is', null)
    .forUpdate()
    .executeTakeFirst()
  if (old)
    await db
      .updateTable('statutory_result')
      .set({ superseded_at: input.at })
      .where('id', '=', old.id)
      .execute()
  const { id } = await db
    .insertInto('statutory_result')
    .values({
      child_id: input.childId,
      kind: r.kind,
      academic_year: r.academicYear,
      subject: subjectOf(r),
      retake: retakeOf(r),
      mark: r.kind === 'phonics' ? r.mark : null,
      threshold: r.kind === 'phonics' ? r.threshold : null,
      scaled_score: r.kind === 'ks2' && 'scaledScore' in r ? r.scaledScore : null,
      outcome:
        r.kind === 'gcse' ? r.grade : r.kind === 'ks2' && 'assessment' in r ? r.assessment : null,
      recorded_by: input.recordedBy,
      recorded_at: input.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (old)
    await db
      .updateTable('statutory_result')
      .set({ superseded_by: id })
      .where('id', '=', old.id)
      .execute()
  return { id, replaced: old?.id ?? null }
}
