import type { Database } from '../../db/connection.ts'
import type { StatutoryResult } from '../../domain/statutory-results.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { recordStatutoryRow } from './statutory.repository.ts'

/**
 * Records a child's statutory result (issue 19); one already there for the same test, subject
 * and year is kept, superseded by this one, so a correction keeps the history. Audited with
 * what was recorded and what it replaced.
 */
export async function recordStatutoryResult(
  db: Database,
  actor: PersonActor,
  input: { childId: string; result: StatutoryResult },
): Promise<{ id: string }> {
  return db.transaction().execute(async (trx) => {
    const { id, replaced } = await recordStatutoryRow(trx, {
      childId: input.childId,
      result: input.result,
      recordedBy: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'child.statutory-result.record',
      childId: input.childId,
      details: { resultId: id, replaces: replaced, ...input.result },
    })
    return { id }
  })
}
