import { sql, type SqlBool } from 'kysely'
import type { Queryable } from '../../db/connection.ts'
import { executePrepared } from '../../db/prepared.ts'
import { subjectsBehindTwoTerms } from '../../shared/cohort-filter.ts'
import type { AttainmentEntry, AttainmentScale } from '../../domain/attainment.ts'
import type { Term, TermName } from '../../domain/terms.ts'

/* The queries and writes of `attainment_entry` (issue 19). */

export interface AttainmentRow extends AttainmentEntry {
  id: string
  recordedBy: string | null
  recordedAt: Date
  supersededAt: Date | null
  /** Typed on a PEP's page that lost a conflict: kept, never current. */
  notChosen: boolean
}

/** Every entry of a child, current and superseded, newest term first. */
export async function listAttainment(db: Queryable, childId: string): Promise<AttainmentRow[]> {
  const rows = await db
    .selectFrom('attainment_entry as a')
    .leftJoin('app_user as u', 'u.id', 'a.recorded_by')
    .select([
      'a.id',
      'a.subject',
      'a.academic_year',
      'a.term',
      'a.scale',
      'a.working_at',
      'a.expected',
      'a.target',
      'u.display_name as recordedBy',
      'a.recorded_at as recordedAt',
      'a.superseded_at as supersededAt',
      'a.not_chosen as notChosen',
    ])
    .where('a.child_id', '=', childId)
    .orderBy('a.academic_year', 'desc')
    .orderBy('a.recorded_at', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    term: { academicYear: r.academic_year, name: r.term as TermName },
    scale: r.scale as AttainmentScale,
    workingAt: r.working_at,
    expected: r.expected,
    target: r.target,
    recordedBy: r.recordedBy,
    recordedAt: r.recordedAt,
    supersededAt: r.supersededAt,
    notChosen: r.notChosen,
  }))
}

/** An entry's columns as recorded: the same for a current entry and one not chosen. */
function entryRow(
  entry: AttainmentEntry & { childId: string; recordedBy: string | null; at: Date },
) {
  return {
    child_id: entry.childId,
    subject: entry.subject,
    academic_year: entry.term.academicYear,
    term: entry.term.name,
    scale: entry.scale,
    working_at: entry.workingAt,
    expected: entry.expected,
    target: entry.target,
    recorded_by: entry.recordedBy,
    recorded_at: entry.at,
  }
}

/** Records an entry; the current one of the same subject and term is superseded by it. */
export async function recordAttainmentEntry(
  db: Queryable,
  entry: AttainmentEntry & { childId: string; recordedBy: string | null; at: Date },
): Promise<{ id: string; replaced: string | null }> {
  const current = await db
    .selectFrom('attainment_entry')
    .select('id')
    .where('child_id', '=', entry.childId)
    .where((eb) => eb(eb.fn('lower', ['subject']), '=', entry.subject.toLowerCase()))
    .where('academic_year', '=', entry.term.academicYear)
    .where('term', '=', entry.term.name)
    .where('superseded_at', 'is', null)
    .forUpdate()
    .executeTakeFirst()
  if (current)
    await db
      .updateTable('attainment_entry')
      .set({ superseded_at: entry.at })
      .where('id', '=', current.id)
      .execute()
  const { id } = await db
    .insertInto('attainment_entry')
    .values({
      ...entryRow(entry),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (current)
    await db
      .updateTable('attainment_entry')
      .set({ superseded_by: id })
      .where('id', '=', current.id)
      .execute()
  return { id, replaced: current?.id ?? null }
}

/** What the scale needs to know of the child: their date of birth and any year group override. */
export async function childForScale(db: Queryable, childId: string) {
  return db
    .selectFrom('child')
    .select(['date_of_birth as dateOfBirth', 'year_group_override as override'])
    .where('id', '=', childId)
    .executeTakeFirstOrThrow()
}

/** The current entries of a child for one term, locked until the transaction ends (a PEP's save). */
export async function currentEntriesOfTerm(db: Queryable, childId: string, term: Term) {
  const rows = await db
    .selectFrom('attainment_entry')
    .select(['id', 'subject', 'working_at', 'expected', 'target'])
    .where('child_id', '=', childId)
    .where('academic_year', '=', term.academicYear)
    .where('term', '=', term.name)
    .where('superseded_at', 'is', null)
    .forUpdate()
    .execute()
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    workingAt: r.working_at,
    expected: r.expected,
    target: r.target,
  }))
}

/**
 * Keeps levels typed on a PEP's page that lost a conflict: written already superseded (by the
 * entry current for the subject and term, if any) and marked not chosen, so never current.
 */
export async function recordNotChosenEntry(
  db: Queryable,
  entry: AttainmentEntry & {
    childId: string
    pepId: string
    supersededBy: string | null
    recordedBy: string | null
    at: Date
  },
): Promise<string> {
  const { id } = await db
    .insertInto('attainment_entry')
    .values({
      ...entryRow(entry),
      superseded_at: entry.at,
      superseded_by: entry.supersededBy,
      not_chosen: true,
      pep_id: entry.pepId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/**
 * The subjects a child is not making expected progress in during `term`, by the one rule the
 * Virtual School's lists use (subjectsBehindTwoTerms), named as recorded that term.
 */
export async function subjectsNotMakingProgressOf(
  db: Queryable,
  childId: string,
  term: Term,
): Promise<string[]> {
  // A prepared statement (db/prepared.ts): the child's record asks it on every view, and its
  // planning cost more than its running.
  const rows = await executePrepared(
    db,
    db
      .selectFrom(
        sql<{ name: string }>`(${subjectsBehindTwoTerms(
          term,
          sql<SqlBool>`e.child_id = ${childId}`,
        )})`.as('t'),
      )
      .select('t.name')
      .orderBy('t.name'),
  )
  return rows.map((r) => r.name)
}
