import { bulkStartTerm, type BulkStartResult } from './bulk-start.ts'
import type { JobContext } from './job-context.ts'
import { moveUnfinishedPeps, type MoveCounts } from './term-move.ts'

/*
 * The start of a term (each night at 00:30, doing something only on a term's first days): first
 * every unfinished PEP of an earlier term moves to this one, then, where the authority asks for
 * it, every child in care still without this term's PEP gets one. In that order, so a child
 * whose PEP moved is not given a second.
 */
export async function startOfTerm(context: JobContext): Promise<MoveCounts & BulkStartResult> {
  const moves = await moveUnfinishedPeps(context)
  const bulk = await bulkStartTerm(context)
  return { ...moves, ...bulk }
}
