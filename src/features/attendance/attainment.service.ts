import type { Database, Queryable } from '../../db/connection.ts'
import type { AttainmentEntry } from '../../domain/attainment.ts'
import { termKey, type Term } from '../../domain/terms.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import {
  currentEntriesOfTerm,
  recordAttainmentEntry,
  recordNotChosenEntry,
} from './attainment.repository.ts'

/*
 * The PEP's attainment page writes the child's termly attainment (issue 19): in the page's own
 * save, its transaction and under the PEP's lock, so the page and the history change together or
 * not at all. Each subject the page showed carries the entry it showed (or none): if someone has
 * recorded that subject for the term since, the save is refused, never written over theirs.
 */

export interface PepAttainmentRow {
  entry: AttainmentEntry
  /** The id of the current entry the page showed for this subject and term, or null if none. */
  seen: string | null
}

export type PepAttainmentRefusal = 'attainment.changed'

const same = (a: Pick<AttainmentEntry, 'workingAt' | 'expected' | 'target'>, b: typeof a) =>
  a.workingAt === b.workingAt && a.expected === b.expected && a.target === b.target

/** What the audit says of an entry's levels, from whichever page it was given on. */
const levelsAudited = (entry: AttainmentEntry) => ({
  subject: entry.subject,
  term: termKey(entry.term),
  scale: entry.scale,
  workingAt: entry.workingAt,
  expected: entry.expected,
  target: entry.target,
})

/**
 * One subject's levels for a term written to the child's history, and audited, within the
 * caller's transaction: an entry already there for the same subject and term is kept, superseded
 * by this one, so the history shows both. The record's form and the PEP's page both write here.
 */
async function writeEntry(
  trx: Queryable,
  actor: PersonActor,
  input: { childId: string; entry: AttainmentEntry; pepId?: string },
): Promise<string> {
  const { id, replaced } = await recordAttainmentEntry(trx, {
    ...input.entry,
    childId: input.childId,
    recordedBy: actor.userId,
    at: actor.now,
  })
  await audit(trx, actor, {
    action: 'child.attainment.record',
    childId: input.childId,
    details: {
      entryId: id,
      replaces: replaced,
      ...(input.pepId ? { pepId: input.pepId } : {}),
      ...levelsAudited(input.entry),
    },
  })
  return id
}

/** Records a child's attainment in a subject for a term, given on the record's own form. */
export async function recordAttainment(
  db: Database,
  actor: PersonActor,
  input: { childId: string; entry: AttainmentEntry },
): Promise<{ id: string }> {
  return db.transaction().execute(async (trx) => ({ id: await writeEntry(trx, actor, input) }))
}

/** Records the rows that changed, within the caller's transaction; refused as a whole if one moved on. */
export async function recordAttainmentFromPep(
  trx: Queryable,
  actor: PersonActor,
  input: { childId: string; pepId: string; term: Term; rows: readonly PepAttainmentRow[] },
): Promise<Result<{ recorded: number }, PepAttainmentRefusal>> {
  if (input.rows.length === 0) return ok({ recorded: 0 })
  const current = await currentEntriesOfTerm(trx, input.childId, input.term)
  const currentOf = (subject: string) =>
    current.find((c) => c.subject.toLowerCase() === subject.toLowerCase())
  const changed: PepAttainmentRow[] = []
  for (const row of input.rows) {
    const now = currentOf(row.entry.subject)
    if (now && same(now, row.entry)) continue
    if ((now?.id ?? null) !== row.seen)
      return refuse('attainment.changed', { subject: now?.subject ?? row.entry.subject })
    changed.push(row)
  }
  for (const { entry } of changed)
    await writeEntry(trx, actor, { childId: input.childId, entry, pepId: input.pepId })
  return ok({ recorded: changed.length })
}

/**
 * A conflict on the attainment page resolved by keeping the other save (issue 19): nothing the
 * person typed is lost. Each level that differs from what is now current for its subject and term
 * is kept in the child's history as not chosen (never current), within the caller's transaction,
 * as the page's own answers are kept in the page's history. Returns how many were kept.
 */
export async function keepAttainmentNotChosen(
  trx: Queryable,
  actor: PersonActor,
  input: { childId: string; pepId: string; term: Term; rows: readonly PepAttainmentRow[] },
): Promise<number> {
  if (input.rows.length === 0) return 0
  const current = await currentEntriesOfTerm(trx, input.childId, input.term)
  let kept = 0
  for (const { entry } of input.rows) {
    const now = current.find((c) => c.subject.toLowerCase() === entry.subject.toLowerCase())
    if (now && same(now, entry)) continue
    const id = await recordNotChosenEntry(trx, {
      ...entry,
      childId: input.childId,
      pepId: input.pepId,
      supersededBy: now?.id ?? null,
      recordedBy: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'child.attainment.not-chosen',
      childId: input.childId,
      details: {
        entryId: id,
        current: now?.id ?? null,
        pepId: input.pepId,
        ...levelsAudited(entry),
      },
    })
    kept++
  }
  return kept
}

export { subjectsNotMakingProgressOf } from './attainment.repository.ts'
